import SystemPackage

/// Reads whole small files (logs, configuration) with a size bound.
public enum FileBytes {
    /// Reads at most `limit` bytes; a longer file is an error, not a silent cut.
    public static func read(_ path: String, limit: Int = 64 << 20) throws(FileReadError) -> [UInt8] {
        let descriptor: FileDescriptor
        do {
            descriptor = try systemCall { try FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec) }
        } catch {
            throw FileReadError(path: path, reason: .system(error))
        }
        defer { try? descriptor.close() }
        if (try? descriptor.stat().type) == .directory { throw FileReadError(path: path, reason: .isDirectory) }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count: Int
            do {
                count = try systemCall { try chunk.withUnsafeMutableBytes { try descriptor.read(into: $0) } }
            } catch {
                throw FileReadError(path: path, reason: .system(error))
            }
            if count == 0 { break }
            guard bytes.count + count <= limit else { throw FileReadError(path: path, reason: .tooLarge(limit: limit)) }
            bytes += chunk[0..<count]
        }
        return bytes
    }
}
