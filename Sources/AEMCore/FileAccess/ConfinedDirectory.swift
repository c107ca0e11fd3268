import CLinux
import Glibc
import SystemPackage

/// A folder opened once, whose paths the kernel resolves without leaving
/// it: the one way the tool reads /boot and reads or writes the AEM media
/// and its own folders.
///
/// Every open is an `openat2` relative to this descriptor with the
/// `PathResolution`'s flags and `O_NONBLOCK | O_CLOEXEC | O_NOCTTY` (a
/// FIFO never blocks), followed by `fstat` on the new descriptor (a file
/// must be regular and within its size limit). Writes, renames and mode
/// changes name one component inside a folder opened this way, so no path
/// is ever looked up twice.
public final class ConfinedDirectory: @unchecked Sendable {
    /// The folder as the user knows it, for messages.
    public let path: String
    public let resolution: PathResolution
    public let descriptor: FileDescriptor
    /// `fstat` at open time: the device and inode tell whether a mount
    /// point still holds this folder.
    public let status: Stat
    /// Where the kernel says this folder is (`/proc/self/fd`), to give the
    /// real path of files opened in it; nil where /proc is not mounted.
    let hostPath: FilePath?

    /// The most entries one folder listing returns, and the deepest tree
    /// `removeTree` descends: both bound what a hostile media can cost.
    public static let maximumEntries = 4096
    public static let maximumDepth = 8

    /// Opens `path`, which trusted configuration names (the system layout,
    /// a mount point the kernel lists): links in it are followed.
    public convenience init(path: String, resolution: PathResolution) throws(FileAccessError) {
        let descriptor: FileDescriptor
        do {
            descriptor = FileDescriptor(
                rawValue: try valueOrErrno { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK) })
        } catch {
            throw FileAccessError(.open, path, error == .notDirectory ? .notDirectory(.regular) : .system(error))
        }
        try self.init(path: path, resolution: resolution, descriptor: descriptor)
    }

    private init(path: String, resolution: PathResolution, descriptor: FileDescriptor) throws(FileAccessError) {
        self.path = path
        self.resolution = resolution
        self.descriptor = descriptor
        do {
            status = try descriptor.stat()
        } catch {
            try? descriptor.close()  // closing after the failure thrown
            throw FileAccessError(.open, path, .system(error))
        }
        hostPath = Self.procPath(of: descriptor)
    }

    deinit { try? descriptor.close() }  // closing after use

    /// `relative` as the user knows it, for messages.
    public func display(_ relative: String) -> String {
        let trimmed = relative.drop { $0 == "/" }
        if trimmed.isEmpty || trimmed == "." { return path }
        return path.hasSuffix("/") ? path + trimmed : path + "/" + trimmed
    }

    /// `relative` as the user knows it, its bytes shown (`FilePath.shown`).
    public func display(_ relative: FilePath) -> String { display(relative.shown) }

    // MARK: Opening

    /// Opens `relative` with `flags` under this folder's resolution rules.
    func resolve(_ relative: String, flags: Int32, mode: mode_t = 0, operation: FileOperation = .open)
        throws(FileAccessError) -> FileDescriptor
    {
        try resolve(FilePath(relative), flags: flags, mode: mode, operation: operation)
    }

    /// Opens `relative`, whose bytes reach the kernel exactly, with `flags`
    /// under this folder's resolution rules (`resolve` overrides them).
    func resolve(
        _ relative: FilePath, flags: Int32, mode: mode_t = 0, operation: FileOperation = .open,
        resolve: UInt64? = nil
    ) throws(FileAccessError) -> FileDescriptor {
        let target: FilePath = relative.isEmpty ? "." : relative
        // openat2 refuses O_PATH with any flag but a few: no O_NOCTTY there.
        let all = flags | O_CLOEXEC | (flags & AEM_O_PATH != 0 ? 0 : O_NOCTTY)
        do {
            let raw = try valueOrErrno {
                target.withPlatformString {
                    aem_openat2(descriptor.rawValue, $0, UInt64(all), UInt64(mode), resolve ?? resolution.flags)
                }
            }
            return FileDescriptor(rawValue: raw)
        } catch {
            throw FileAccessError(operation, display(relative), reason(for: error))
        }
    }

    /// What an `openat2` failure means under this folder's rules.
    private func reason(for error: Errno) -> FileAccessError.Reason {
        switch error {
        case .tooManySymbolicLinkLevels: return resolution == .withoutLinks ? .link : .linkLoop
        case .improperLink: return .escapes
        case .noFunction: return .kernelTooOld
        default: return .system(error)
        }
    }

    /// Opens the regular file at `relative` for reading, at most `limit`
    /// bytes; the file knows its real path in here (`pathInRoot`).
    public func openFile(_ relative: String, limit: Int) throws(FileAccessError) -> OpenedFile {
        try openFile(FilePath(relative), limit: limit)
    }

    /// Opens the regular file at `relative` (its exact bytes) for reading,
    /// at most `limit` bytes.
    public func openFile(_ relative: FilePath, limit: Int) throws(FileAccessError) -> OpenedFile {
        let opened = try resolve(relative, flags: O_RDONLY | O_NONBLOCK)
        let file = try OpenedFile(path: display(relative), descriptor: opened, limit: limit)
        file.pathInRoot = path(of: file)
        return file
    }

    /// The whole regular file at `relative`, at most `limit` bytes.
    public func readFile(_ relative: String, limit: Int) throws(FileAccessError) -> [UInt8] {
        try openFile(relative, limit: limit).readAll()
    }

    /// The whole regular file at `relative` (its exact bytes), at most `limit` bytes.
    public func readFile(_ relative: FilePath, limit: Int) throws(FileAccessError) -> [UInt8] {
        try openFile(relative, limit: limit).readAll()
    }

    /// The file at `relative`, or nil when there is none.
    public func readFileIfPresent(_ relative: String, limit: Int) throws(FileAccessError) -> [UInt8]? {
        do {
            return try readFile(relative, limit: limit)
        } catch let error where error.reason == .system(.noSuchFileOrDirectory) {
            return nil
        }
    }

    /// What `relative` is (links resolved by the folder's rules), without
    /// opening it for reading; nil when it does not exist or cannot be
    /// reached under the rules.
    public func type(of relative: String) -> (type: FileType, size: Int64)? {
        // GRUB's `test -e` and friends: any failure reads as "no such file", as in GRUB.
        guard let opened = try? resolve(relative, flags: AEM_O_PATH) else { return nil }
        defer { try? opened.close() }  // closing after use
        return (try? opened.stat()).map { ($0.type, $0.size) }  // fstat on an O_PATH descriptor we hold
    }

    /// The file system mounted at the folder `relative` (a mount point
    /// under this folder, such as a UEFI machine's `/boot/efi`), opened as
    /// a folder of its own under the same rules: no link is followed on
    /// the way, and nothing beyond that one mount is crossed.
    public func mountedFolder(at relative: FilePath) throws(FileAccessError) -> ConfinedDirectory {
        let rules = UInt64(AEM_RESOLVE_NO_MAGICLINKS | AEM_RESOLVE_NO_SYMLINKS | AEM_RESOLVE_BENEATH)
        let opened = try resolve(relative, flags: O_RDONLY | O_DIRECTORY | O_NONBLOCK, resolve: rules)
        return try ConfinedDirectory(path: display(relative), resolution: resolution, descriptor: opened)
    }

    /// The folder at `relative`, opened under the same rules. Under
    /// `.insidePartition` the child is a new root for later lookups, so
    /// only `.withoutLinks` folders hand out children.
    public func directory(_ relative: String) throws(FileAccessError) -> ConfinedDirectory {
        try directory(FilePath(relative))
    }

    /// The folder at `relative` (its exact bytes), as `directory(_:)` opens it.
    public func directory(_ relative: FilePath) throws(FileAccessError) -> ConfinedDirectory {
        precondition(resolution == .withoutLinks, "a partition's subfolder would be a new root for its links")
        let opened = try resolve(relative, flags: O_RDONLY | O_DIRECTORY | O_NONBLOCK)
        return try ConfinedDirectory(path: display(relative), resolution: resolution, descriptor: opened)
    }

    /// The folder at `relative`, or nil when there is none.
    public func directoryIfPresent(_ relative: String) throws(FileAccessError) -> ConfinedDirectory? {
        do {
            return try directory(relative)
        } catch let error where error.reason == .system(.noSuchFileOrDirectory) {
            return nil
        }
    }

    // MARK: Listing

    /// One name in a folder and what it is itself (a link is
    /// `.symbolicLink`). The name is its bytes, whatever their encoding.
    public struct Entry: Sendable, Equatable {
        public var name: FilePath.Component
        public var type: FileType
    }

    /// The entries of the folder at `relative` (`.` and `..` left out),
    /// sorted by their bytes; a folder with more than `maximumEntries` is
    /// refused (`tooLarge`), never cut short, and no name is left out.
    public func entries(in relative: FilePath = ".") throws(FileAccessError) -> [Entry] {
        let opened = try resolve(relative, flags: O_RDONLY | O_DIRECTORY | O_NONBLOCK, operation: .list)
        guard let stream = fdopendir(opened.rawValue) else {
            let failure = Errno(rawValue: Glibc.errno)
            try? opened.close()  // closing after the failure thrown
            throw FileAccessError(.list, display(relative), .system(failure))
        }
        defer { closedir(stream) }
        var entries = [(bytes: [UInt8], entry: Entry)]()
        while true {
            Glibc.errno = 0
            guard let record = readdir(stream) else {
                guard Glibc.errno == 0 else {
                    throw FileAccessError(.list, display(relative), .system(Errno(rawValue: Glibc.errno)))
                }
                break
            }
            let bytes = withUnsafeBytes(of: record.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            guard bytes != [0x2E], bytes != [0x2E, 0x2E] else { continue }
            guard entries.count < Self.maximumEntries else {
                throw FileAccessError(.list, display(relative), .tooLarge(limit: Self.maximumEntries))
            }
            let name = FilePath.Component(platformString: bytes.map { CChar(bitPattern: $0) } + [0])!
            var type = Self.fileType(direntType: record.pointee.d_type)
            if type == nil {
                do {
                    type = try FilePath(root: nil, [name]).stat(relativeTo: opened, flags: .symlinkNoFollow).type
                } catch {
                    throw FileAccessError(.list, display(relative.appending(name)), .system(error))
                }
            }
            entries.append((bytes, Entry(name: name, type: type!)))
        }
        return entries.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }.map(\.entry)
    }

    /// The entries of the folder at `relative` (see `entries(in:)`).
    public func entries(in relative: String) throws(FileAccessError) -> [Entry] {
        try entries(in: FilePath(relative))
    }

    private static func fileType(direntType: UInt8) -> FileType? {
        switch Int32(direntType) {
        case Int32(DT_REG): return .regular
        case Int32(DT_DIR): return .directory
        case Int32(DT_LNK): return .symbolicLink
        case Int32(DT_FIFO): return .fifo
        case Int32(DT_SOCK): return .socket
        case Int32(DT_CHR): return .characterSpecial
        case Int32(DT_BLK): return .blockSpecial
        default: return nil
        }
    }

    /// The path a descriptor's file has, as `/proc/self/fd` shows it.
    static func procPath(of descriptor: FileDescriptor) -> FilePath? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/fd/\(descriptor.rawValue)", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return FilePath(platformString: Array(buffer[0..<count]) + [0])
    }

    /// The path of `file` inside this folder (`/vmlinuz-6.6.21`), its
    /// bytes as the kernel resolved them; nil when /proc cannot say or it
    /// lies elsewhere.
    private func path(of file: OpenedFile) -> FilePath? {
        guard let base = hostPath, var full = Self.procPath(of: file.descriptor) else { return nil }
        if base == "/" { return full }
        guard full.removePrefix(base), !full.isEmpty else { return nil }
        return FilePath(root: "/", full.components)
    }
}
