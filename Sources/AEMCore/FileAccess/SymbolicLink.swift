import Glibc
import SystemPackage

/// Reads symbolic links that trusted configuration names (`/var/lib/tpm`,
/// `/dev/disk/by-uuid/...`): absent is nil, anything unreadable throws.
public enum SymbolicLink {
    /// The target of the link at `path`; nil when there is nothing there
    /// or it is not a link (`EINVAL`). Any other failure is thrown.
    public static func target(of path: String) throws(FileAccessError) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else {
            let error = Errno(rawValue: errno)
            if error == .noSuchFileOrDirectory || error == .invalidArgument || error == .notDirectory { return nil }
            throw FileAccessError(.read, path, .system(error))
        }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
