import Glibc
import SystemPackage

/// A regular file opened through `ConfinedDirectory` (or `FileBytes`):
/// what it is was decided by `fstat` on this descriptor, and everything
/// after works on the descriptor, never on the path again, so a file
/// swapped for a link or a FIFO after the check is never the one read.
public final class OpenedFile: @unchecked Sendable {
    /// The file as the user knows it, for messages.
    public let path: String
    public let descriptor: FileDescriptor
    /// `fstat` at open time.
    public let status: Stat
    /// At most this many bytes are read.
    public let limit: Int
    /// Its real path inside the `ConfinedDirectory` it was opened in, links
    /// resolved (`/vmlinuz-6.6.21`), its bytes exactly; nil otherwise or
    /// where /proc cannot say.
    public internal(set) var pathInRoot: FilePath?

    /// Whether the descriptor is closed when this is released (not standard input's).
    private let closes: Bool

    init(
        path: String, descriptor: FileDescriptor, limit: Int, allowing types: [FileType] = [.regular],
        closing: Bool = true
    ) throws(FileAccessError) {
        self.path = path
        self.descriptor = descriptor
        self.limit = limit
        closes = closing
        do {
            status = try descriptor.stat()
        } catch {
            if closing { try? descriptor.close() }  // closing after the failure thrown
            throw FileAccessError(.open, path, .system(error))
        }
        guard types.contains(status.type) else {
            if closing { try? descriptor.close() }  // (same)
            throw FileAccessError(.open, path, .notRegularFile(status.type))
        }
        guard status.size <= Int64(limit) else {
            if closing { try? descriptor.close() }  // (same)
            throw FileAccessError(.open, path, .tooLarge(limit: limit))
        }
    }

    deinit { if closes { try? descriptor.close() } }  // closing after use

    /// The size `fstat` gave at open time.
    public var size: Int { Int(status.size) }

    /// Reads the next bytes into `buffer`; 0 at the end.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileAccessError) -> Int {
        do {
            return try systemCall { try descriptor.read(into: buffer) }
        } catch {
            throw FileAccessError(.read, path, .system(error))
        }
    }

    /// Reads at `offset` without moving the file position.
    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(FileAccessError) -> Int {
        do {
            return try systemCall { try descriptor.read(fromAbsoluteOffset: Int64(offset), into: buffer) }
        } catch {
            throw FileAccessError(.read, path, .system(error))
        }
    }

    /// The whole file; one that grew past the limit since it was opened
    /// is refused, not cut short.
    public func readAll() throws(FileAccessError) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(min(size, limit) + 1)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let count = try read(into: chunk)
            if count == 0 { return bytes }
            guard bytes.count + count <= limit else { throw FileAccessError(.read, path, .tooLarge(limit: limit)) }
            bytes += chunk[0..<count]
        }
    }

    /// Refuses a file with other names: one the tool writes to or changes
    /// the mode of must have one, or the change reaches the other name.
    public func requireSingleLink(_ operation: FileOperation) throws(FileAccessError) {
        guard status.linkCount == 1 else {
            throw FileAccessError(operation, path, .hardLinked(count: status.linkCount))
        }
    }
}
