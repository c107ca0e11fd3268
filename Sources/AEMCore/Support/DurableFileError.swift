import Foundation
import SystemPackage

/// Why a durable file operation failed: the operation, the path and
/// the errno; nothing was half-written.
public struct DurableFileError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var path: String
    /// The errno behind it (`.tooManySymbolicLinkLevels` for a refused link).
    public var errno: Errno
    /// A symbolic link was found where a folder or file of ours must be.
    public var refusedLink = false

    public var description: String {
        refusedLink
            ? "\(operation) \(path): it is a symbolic link (planted on the media?); nothing outside was touched"
            : "\(operation) \(path): \(errno)"
    }

    /// The failure of the call that just set the C `errno`, or of `code`.
    init(_ operation: String, _ path: String, errno code: Int32 = Glibc.errno) {
        self.init(operation, path, Errno(rawValue: code))
    }

    init(_ operation: String, _ path: String, _ errno: Errno) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    /// A symbolic link where a folder or file of ours must be: the AEM
    /// media and /boot are attacker-controlled, so it is never followed.
    static func link(_ path: String) -> DurableFileError {
        var failure = DurableFileError("refusing to follow", path, .tooManySymbolicLinkLevels)
        failure.refusedLink = true
        return failure
    }
}
