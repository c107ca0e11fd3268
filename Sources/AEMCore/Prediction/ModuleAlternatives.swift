import SystemPackage

/// The files on the boot partition that could have been booted in a
/// module's place: in the same folder, with the same name stem (`xen-`,
/// `vmlinuz-`, `initramfs-`), regular files only. /boot is
/// attacker-controlled: links are never candidates, names are compared as
/// bytes, and the list is bounded.
public enum ModuleAlternatives {
    /// At most this many candidates are tried per module.
    public static let maximumCandidates = 16

    /// Candidates for the file at `partitionPath` (a module's real path
    /// inside the partition, links resolved), as paths inside the
    /// partition, newest-looking names first. None when its folder cannot
    /// be listed: the search then finds nothing, and the verdict stays
    /// unknown (it never vouches).
    public static func beside(_ partitionPath: FilePath, in partition: BootPartition) -> [FilePath] {
        guard let name = partitionPath.lastComponent?.bytes else { return [] }
        let folder = partitionPath.removingLastComponent()
        // Unlistable: no candidate, so nothing is found and nothing vouched.
        guard let entries = try? partition.directory.entries(in: folder) else { return [] }
        let stem = Self.stem(of: name)
        guard !stem.isEmpty else { return [] }
        return entries.filter { $0.type == .regular && $0.name.bytes != name && $0.name.bytes.starts(with: stem) }
            .map(\.name)
            .sorted { $1.bytes.lexicographicallyPrecedes($0.bytes) }
            .prefix(maximumCandidates)
            .map { folder.appending($0) }
    }

    /// The name up to and including its first `-` (`xen-4.17.4.gz` → `xen-`),
    /// else up to its first `.`.
    static func stem(of name: [UInt8]) -> [UInt8] {
        if let dash = name.firstIndex(of: UInt8(ascii: "-")) { return Array(name[...dash]) }
        if let dot = name.firstIndex(of: UInt8(ascii: ".")) { return Array(name[...dot]) }
        return []
    }
}
