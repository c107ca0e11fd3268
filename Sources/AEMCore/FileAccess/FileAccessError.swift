import SystemPackage

/// Why a file or folder inside a `ConfinedDirectory` could not be opened,
/// read or written. Thrown by `ConfinedDirectory` and `OpenedFile`; `path`
/// names the place as the user knows it (`/boot/vmlinuz-6.6.21`).
public struct FileAccessError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: FileOperation
    public var path: String
    public var reason: Reason

    public enum Reason: Sendable, Equatable {
        /// The system call failed with `Errno` (no such file, permission, full, read-only, ...).
        case system(Errno)
        /// A symbolic link was found where none may be (the media, aem-reseal's folders).
        case link
        /// Links that loop, or chain beyond the kernel's limit of 40.
        case linkLoop
        /// The path leads out of its directory or onto another file system.
        case escapes
        /// Not a regular file: a FIFO (which would block), a socket, a device, a folder.
        case notRegularFile(FileType)
        case notDirectory(FileType)
        /// More than `limit` bytes (it is not cut short).
        case tooLarge(limit: Int)
        /// A file the tool would write or change the mode of has other
        /// names (a hard link planted to reach a file elsewhere).
        case hardLinked(count: Int)
        /// The kernel has no `openat2` (before Linux 5.6).
        case kernelTooOld
        /// A name that is not valid UTF-8 where only the tool's own text
        /// names belong (a sealed set).
        case nameNotText
    }

    public init(_ operation: FileOperation, _ path: String, _ reason: Reason) {
        self.operation = operation
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(operation.rawValue) \(path): \(reason)" }
}

extension FileAccessError.Reason: CustomStringConvertible {
    /// The reason in words, without the path.
    public var description: String {
        switch self {
        case let .system(errno): return errno.description
        case .link: return "it is or passes through a symbolic link (planted?), which is never followed here"
        case .linkLoop: return "its symbolic links loop or chain beyond the kernel's limit"
        case .escapes: return "the path leads outside its folder or onto another file system"
        case let .notRegularFile(type): return "not a regular file (\(type.name)); it is not opened"
        case let .notDirectory(type): return "not a folder (\(type.name))"
        case let .tooLarge(limit): return "it is larger than \(limit) bytes"
        case let .hardLinked(count):
            return "it has \(count) hard links (planted to reach a file elsewhere?); it is not changed"
        case .kernelTooOld: return "the kernel has no openat2 (Linux 5.6 or later is needed)"
        case .nameNotText: return "its name is not valid UTF-8 (planted?); no file of a sealed set has such a name"
        }
    }
}

/// What was being done when a `FileAccessError` happened: typed, so tests
/// and callers match it, and worded once here.
public enum FileOperation: String, Sendable, Equatable {
    case open = "opening"
    case read = "reading"
    case list = "listing"
    case create = "creating"
    case write = "writing"
    case sync = "syncing"
    case rename = "renaming"
    case exchange = "exchanging"
    case remove = "removing"
    case setMode = "setting permissions of"
    case lock = "locking"
}

extension FileType {
    /// The type as a user names it.
    public var name: String {
        switch self {
        case .regular: return "regular file"
        case .directory: return "folder"
        case .symbolicLink: return "symbolic link"
        case .fifo: return "FIFO"
        case .socket: return "socket"
        case .characterSpecial: return "character device"
        case .blockSpecial: return "block device"
        default: return "unknown type"
        }
    }
}
