import SystemPackage

/// Why `FileBytes.read(_:limit:)` could not read a file.
public struct FileReadError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    public var reason: Reason

    public enum Reason: Sendable, Equatable {
        /// Opening or reading failed.
        case system(Errno)
        case isDirectory
        /// The file holds more than `limit` bytes (it is not cut short).
        case tooLarge(limit: Int)
    }

    public var description: String {
        switch reason {
        case let .system(errno): return "cannot read \(path): \(errno)"
        case .isDirectory: return "cannot read \(path): it is a directory"
        case let .tooLarge(limit): return "cannot read \(path): it is larger than \(limit) bytes"
        }
    }
}
