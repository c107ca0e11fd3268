import Foundation

/// Reads whole small files (logs, configuration) with a size bound.
public enum FileBytes {
    /// Why a file could not be read.
    public struct ReadError: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var reason: String
        public var description: String { "cannot read \(path): \(reason)" }
    }

    /// Reads at most `limit` bytes; a longer file is an error, not a silent cut.
    public static func read(_ path: String, limit: Int = 64 << 20) throws(ReadError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ReadError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var info = stat()
        if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw ReadError(path: path, reason: "it is a directory")
        }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            guard bytes.count + count <= limit else {
                throw ReadError(path: path, reason: "it is larger than \(limit) bytes")
            }
            bytes += chunk[0..<count]
        }
        return bytes
    }
}
