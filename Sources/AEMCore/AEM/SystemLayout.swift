import Foundation

/// Every system path the tool reads or writes, relative to a root (`/` on a
/// real dom0; a test tree with `--root`).
public struct SystemLayout: Sendable {
    public var root: String
    /// The boot partition (`<root>/boot` unless given).
    public var bootDirectory: String

    public init(root: String = "/", bootDirectory: String? = nil) {
        self.root = root
        self.bootDirectory = bootDirectory ?? Self.join(root, "boot")
    }

    /// `<root>/<relative>`.
    public func path(_ relative: String) -> String { Self.join(root, relative) }

    static func join(_ root: String, _ relative: String) -> String {
        let trimmed = relative.hasPrefix("/") ? String(relative.dropFirst()) : relative
        return root.hasSuffix("/") ? root + trimmed : root + "/" + trimmed
    }

    public var aemConfiguration: String { path("etc/anti-evil-maid.conf") }
    /// aem-reseal's own settings (`ResealConfiguration`).
    public var resealConfiguration: String { path("etc/aem-reseal.conf") }
    public var stateDirectory: String { path("var/lib/aem-reseal") }
    public var stateFile: String { path("var/lib/aem-reseal/state.json") }
    public var bootRecords: String { path("var/lib/aem-reseal/boots") }
    /// The files on /boot a running dom0 wrote (`WrittenFilesLedger`).
    public var writtenFilesLedger: String { path("var/lib/aem-reseal/written-files.json") }
    public var plaintextSecrets: String { path("var/lib/anti-evil-maid") }
    public var sealedSecrets: String { path("var/lib/tpm") }
    public var tpmsDirectory: String { path("var/lib/tpms") }
    public var runtimeDirectory: String { path("run/anti-evil-maid") }
    public var cachedSRKPassword: String { path("run/anti-evil-maid/srk-password") }
    public var cachedSuffix: String { path("run/anti-evil-maid/suffix") }
    public var procStat: String { path("proc/stat") }
    public var kernelCommandLine: String { path("proc/cmdline") }
    public var kernelRelease: String { path("proc/sys/kernel/osrelease") }
    public var physicalMemory: String { path("dev/mem") }
    /// The kernel's mount table (where the AEM media is mounted).
    public var mountInfo: String { path("proc/self/mountinfo") }
    public var tpmVersionMajor: String { path("sys/class/tpm/tpm0/tpm_version_major") }
    public var hypervisorVersion: String { path("sys/hypervisor/version") }

    /// GRUB's configuration: `grub2/grub.cfg` (Qubes, Fedora) or `grub/grub.cfg`.
    public var grubConfiguration: String {
        let candidates = ["grub2/grub.cfg", "grub/grub.cfg"].map { Self.join(bootDirectory, $0) }
        return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates[0]
    }

    /// When the running system booted (`btime` in /proc/stat); nil when
    /// the root has no /proc/stat or it names no boot time. Unreadable is
    /// an error, never "no boot time".
    public func bootTime() throws(FileAccessError) -> Date? {
        guard let bytes = try FileBytes.readIfPresent(procStat, limit: 1 << 20) else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix("btime ") {
            if let seconds = TimeInterval(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) {
                return Date(timeIntervalSince1970: seconds)
            }
        }
        return nil
    }

    /// The running boot as the state file and the boot records name it:
    /// `btime` in whole seconds.
    public func bootTimeSeconds() throws(FileAccessError) -> Int64? {
        try bootTime().map { Int64($0.timeIntervalSince1970) }
    }

    /// A parameter of the running kernel's command line (`aem.uuid`); nil
    /// when the root has no /proc/cmdline or it lacks the parameter.
    public func kernelParameter(_ name: String) throws(FileAccessError) -> String? {
        guard let bytes = try FileBytes.readIfPresent(kernelCommandLine, limit: 1 << 16) else { return nil }
        for word in String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
        where word.hasPrefix(name + "=") {
            return String(word.dropFirst(name.count + 1))
        }
        return nil
    }

    /// The running Xen version from /sys/hypervisor (`4.17.3`), for the
    /// words only ("what changed"): nil when it cannot be read.
    public func runningXenVersion() -> String? {
        func read(_ name: String) -> String? {
            // Shown, never decided on: unreadable reads as "version not known".
            (try? FileBytes.read(hypervisorVersion + "/" + name, limit: 256)).map {
                String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        guard let major = read("major"), let minor = read("minor") else { return nil }
        return "\(major).\(minor)\(read("extra") ?? "")"
    }

    /// The running kernel release (`6.6.21-1.qubes.fc37.x86_64`), for the
    /// words only: nil when it cannot be read.
    public func runningKernelRelease() -> String? {
        // Shown, never decided on: unreadable reads as "release not known".
        (try? FileBytes.read(kernelRelease, limit: 256)).map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// The TPM version as AEM detects it (`tpm_version_major`); nil when
    /// sysfs has no TPM or names another version.
    public func tpmVersion() throws(FileAccessError) -> TPMVersion? {
        guard let bytes = try FileBytes.readIfPresent(tpmVersionMajor, limit: 16) else { return nil }
        switch String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) {
        case "1": return .tpm12
        case "2": return .tpm20
        default: return nil
        }
    }
}
