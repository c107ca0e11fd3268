import SystemPackage

/// The files on the boot partition that could have been booted in a
/// module's place: in the same folder, with the same name stem (`xen-`,
/// `vmlinuz-`, `initramfs-`), regular files only. /boot is
/// attacker-controlled: links are never candidates and the list is bounded.
public enum ModuleAlternatives {
    /// At most this many candidates are tried per module.
    public static let maximumCandidates = 16

    /// Candidates for the file at `partitionPath` (a module's real path
    /// inside the partition, links resolved), as paths inside the
    /// partition, newest-looking names first.
    public static func beside(_ partitionPath: String, in partition: BootPartition) -> [String] {
        let path = FilePath(partitionPath)
        guard let name = path.lastComponent?.string, let entries = try? partition.entries(besides: partitionPath)
        else { return [] }
        let stem = Self.stem(of: name)
        guard !stem.isEmpty else { return [] }
        let folder = path.removingLastComponent()
        return entries.filter { $0.type == .regular && $0.name != name && $0.name.hasPrefix(stem) }
            .map(\.name)
            .sorted(by: >)
            .prefix(maximumCandidates)
            .map { folder.appending($0).string }
    }

    /// The name up to and including its first `-` (`xen-4.17.4.gz` → `xen-`),
    /// else up to its first `.`.
    static func stem(of name: String) -> String {
        if let dash = name.firstIndex(of: "-") { return String(name[...dash]) }
        if let dot = name.firstIndex(of: ".") { return String(name[...dot]) }
        return ""
    }
}
