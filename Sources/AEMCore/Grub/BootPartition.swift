import SystemPackage

/// The boot partition as GRUB sees it: GRUB paths (`/xen.gz`,
/// `(hd0,msdos1)/xen.gz`, `($root)/xen.gz`) are opened inside it with
/// GRUB's link rules (`PathResolution.insidePartition`): a link is
/// followed, an absolute target starts again at the partition's root,
/// nothing outside it is ever reached, and loops end with an error.
/// /boot is attacker-controlled: everything read from it goes through here.
public struct BootPartition: Sendable {
    public let directory: ConfinedDirectory

    /// Opens the partition mounted at `path` (trusted configuration names it).
    public init(path: String) throws(FileAccessError) {
        directory = try ConfinedDirectory(path: path, resolution: .insidePartition)
    }

    /// The partition as mounted here, for messages.
    public var path: String { directory.path }

    /// The path inside the partition a GRUB path names, device prefix
    /// removed; nil for a relative path or one with `..` (GRUB's entries
    /// never use them).
    public static func relativePath(_ grubPath: String) -> String? {
        var path = Substring(grubPath)
        if path.hasBytePrefix("(") {
            guard let (_, after) = path.split(once: ")") else { return nil }
            path = Substring(after)
        }
        guard path.hasBytePrefix("/"), !path.split(separator: "/").contains("..") else { return nil }
        return String(path)
    }

    /// Opens the regular file at `grubPath`, at most `limit` bytes.
    public func open(_ grubPath: String, limit: Int) throws(FileAccessError) -> OpenedFile {
        guard let relative = Self.relativePath(grubPath) else {
            throw FileAccessError(.open, grubPath, .escapes)
        }
        return try directory.openFile(relative, limit: limit)
    }

    /// What `grubPath` names (links followed inside the partition), nil
    /// when nothing or when it cannot be reached.
    public func type(of grubPath: String) -> (type: FileType, size: Int64)? {
        Self.relativePath(grubPath).flatMap { directory.type(of: $0) }
    }

    /// The entries of the folder holding `grubPath`.
    public func entries(besides grubPath: String) throws(FileAccessError) -> [ConfinedDirectory.Entry] {
        guard let relative = Self.relativePath(grubPath) else { throw FileAccessError(.list, grubPath, .escapes) }
        return try directory.entries(in: FilePath(relative).removingLastComponent().string)
    }
}
