import Foundation

/// The files on the boot partition that could have been booted in a
/// module's place: in the same folder, with the same name stem
/// (`xen-`, `vmlinuz-`, `initramfs-`), regular files only. /boot is
/// attacker-controlled: symbolic links are never followed and the list is
/// bounded.
public enum ModuleAlternatives {
    /// At most this many candidates are tried per module.
    public static let maximumCandidates = 16

    /// Candidates for the module at `grubPath`, as (GRUB path, local path),
    /// newest-looking names first.
    public static func beside(_ grubPath: String, settings: GrubEvaluationSettings) -> [(
        grubPath: String, localPath: String
    )] {
        guard let local = settings.localPath(grubPath) else { return [] }
        let folder = (local as NSString).deletingLastPathComponent
        let name = (local as NSString).lastPathComponent
        let grubFolder = (grubPath as NSString).deletingLastPathComponent
        let stem = Self.stem(of: name)
        guard !stem.isEmpty, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { $0 != name && $0.hasPrefix(stem) }
            .sorted(by: >)
            .filter { isRegularFile(folder + "/" + $0) }
            .prefix(maximumCandidates)
            .map { (grubPath: (grubFolder as NSString).appendingPathComponent($0), localPath: folder + "/" + $0) }
    }

    /// The name up to and including its first `-` (`xen-4.17.4.gz` → `xen-`),
    /// else up to its first `.`.
    static func stem(of name: String) -> String {
        if let dash = name.firstIndex(of: "-") { return String(name[...dash]) }
        if let dot = name.firstIndex(of: ".") { return String(name[...dot]) }
        return ""
    }

    /// A regular file itself, not a link to one.
    private static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }
}
