import SystemPackage

/// Reads whole small files (logs, configuration) with a size bound.
public enum FileBytes {
    /// Why a file could not be read.
    public struct ReadError: Error, CustomStringConvertible, Sendable, Equatable {
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

    /// Reads at most `limit` bytes; a longer file is an error, not a silent cut.
    public static func read(_ path: String, limit: Int = 64 << 20) throws(ReadError) -> [UInt8] {
        let descriptor: FileDescriptor
        do {
            descriptor = try systemCall { try FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec) }
        } catch {
            throw ReadError(path: path, reason: .system(error))
        }
        defer { try? descriptor.close() }
        if (try? descriptor.stat().type) == .directory { throw ReadError(path: path, reason: .isDirectory) }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count: Int
            do {
                count = try systemCall { try chunk.withUnsafeMutableBytes { try descriptor.read(into: $0) } }
            } catch {
                throw ReadError(path: path, reason: .system(error))
            }
            if count == 0 { break }
            guard bytes.count + count <= limit else { throw ReadError(path: path, reason: .tooLarge(limit: limit)) }
            bytes += chunk[0..<count]
        }
        return bytes
    }
}
