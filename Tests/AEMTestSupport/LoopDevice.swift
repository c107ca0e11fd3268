import Foundation

/// A real block device for one test: a file attached with `losetup`, made
/// into what AEM's scripts expect to find by UUID and label (the AEM media
/// as ext4 labelled `aem`, the LUKS container whose header AEM measures).
/// Needs root, as the integration tests run. Unmounted and detached on
/// release.
public final class LoopDevice: @unchecked Sendable {
    /// `/dev/loopN`.
    public let device: String
    /// `major:minor`, as udev's database names the device.
    public let majorMinor: String
    /// What udev would know of it (`ID_FS_UUID`, `ID_FS_LABEL`, `ID_FS_TYPE`).
    public let properties: [String: String]
    public let image: String
    public private(set) var mountPoint: String?

    public var uuid: String? { properties["ID_FS_UUID"] }
    public var label: String? { properties["ID_FS_LABEL"] }

    private init(image: String, properties: [String: String]) throws {
        self.image = image
        self.properties = properties
        device = try Command.check("losetup", ["--find", "--show", image]).trimmingCharacters(
            in: .whitespacesAndNewlines)
        majorMinor = try Command.check("lsblk", ["-dnr", "-o", "MAJ:MIN", device])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// An ext4 file system of `megabytes` with `label` and `uuid`, as
    /// `anti-evil-maid-install` leaves the AEM media (or /boot).
    public static func ext4(
        in folder: TemporaryDirectory, name: String, label: String, uuid: String, megabytes: Int = 48
    )
        throws -> LoopDevice
    {
        let image = folder.path(name + ".img")
        try Command.check("truncate", ["-s", "\(megabytes)M", image])
        try Command.check("mkfs.ext4", ["-q", "-L", label, "-U", uuid, image])
        return try LoopDevice(
            image: image, properties: ["ID_FS_UUID": uuid, "ID_FS_LABEL": label, "ID_FS_TYPE": "ext4"])
    }

    /// A LUKS2 container with `uuid` (a cheap key derivation: its header is
    /// what matters, AEM hashes it into PCR 13).
    public static func luks(in folder: TemporaryDirectory, name: String, uuid: String, passphrase: String) throws
        -> LoopDevice
    {
        let image = folder.path(name + ".img")
        try Command.check("truncate", ["-s", "24M", image])
        try Command.check(
            "cryptsetup",
            [
                "luksFormat", "-q", "--type", "luks2", "--uuid", uuid, "--pbkdf", "pbkdf2", "--pbkdf-force-iterations",
                "1000", "--key-file", "-", image,
            ], stdin: passphrase)
        return try LoopDevice(image: image, properties: ["ID_FS_UUID": uuid, "ID_FS_TYPE": "crypto_LUKS"])
    }

    /// Mounts the file system at `path` on this machine (the test's dom0
    /// has it mounted there).
    public func mount(at path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Command.check("mount", [device, path])
        mountPoint = path
    }

    /// Unmounts it (as a reboot does): not lazily, so that nothing keeps the
    /// file system mounted read-write where AEM's initramfs mounts it
    /// read-only.
    public func unmount() throws {
        guard let mountPoint else { return }
        try Command.check("umount", [mountPoint])
        self.mountPoint = nil
    }

    /// Unmounted (lazily only if it is still busy) and detached: a device
    /// still open somewhere is detached by the kernel when it is closed
    /// (`losetup -d` sets autoclear), and `losetup --find` gives it to no
    /// other test until then.
    deinit {
        if let mountPoint, (try? Command.run("umount", [mountPoint]))?.status != 0 {
            _ = try? Command.run("umount", ["-l", mountPoint])
        }
        _ = try? Command.run("losetup", ["-d", device])
    }
}
