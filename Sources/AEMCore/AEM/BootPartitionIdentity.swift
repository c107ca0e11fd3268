import SystemPackage

/// Which file system the boot partition is, as GRUB's `search --fs-uuid`
/// finds it: the UUID of the device the mount table lists at /boot, by the
/// `/dev/disk/by-uuid` link that names it (or the source itself, when it
/// was mounted by UUID). Facts of the running kernel, not of /boot.
public enum BootPartitionIdentity {
    /// The boot partition's file-system UUID; nil when /boot is no mount
    /// of its own, or no link names its device. A mount table or link
    /// that cannot be read is an error.
    public static func uuid(_ layout: SystemLayout) throws(FileAccessError) -> String? {
        guard let text = try FileBytes.readIfPresent(layout.mountInfo, limit: 4 << 20) else { return nil }
        var point = FilePath(layout.bootDirectory).lexicallyNormalized()
        guard point.removePrefix(FilePath(layout.root).lexicallyNormalized()) else { return nil }
        let mountPoint = "/" + point.string
        guard
            let mount = MountTable(mountInfo: String(decoding: text, as: UTF8.self)).mounts.last(where: {
                $0.mountPoint == mountPoint
            })
        else { return nil }
        let byUUID = "/dev/disk/by-uuid/"
        if mount.source.hasPrefix("UUID=") { return String(mount.source.dropFirst(5)) }
        if mount.source.hasPrefix(byUUID) { return String(mount.source.dropFirst(byUUID.count)) }
        let folder = layout.path(String(byUUID.dropFirst()))
        guard try FileBytes.exists(folder) else { return nil }
        let names = try ConfinedDirectory(path: folder, resolution: .withoutLinks).entries()
        for entry in names where entry.type == .symbolicLink {
            guard let name = String(validating: entry.name),
                let target = try SymbolicLink.target(of: folder + "/" + name)
            else { continue }
            let resolved = target.hasPrefix("/") ? target : FilePath(byUUID + target).lexicallyNormalized().string
            if resolved == mount.source { return name }
        }
        return nil
    }
}
