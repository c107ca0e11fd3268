import Glibc
import SystemPackage

/// Reads whole small files that trusted configuration or the user names
/// (logs, configuration, /proc and /sys) with a size bound. They are
/// opened as `ConfinedDirectory` opens files: `O_NONBLOCK` (a FIFO never
/// blocks), then `fstat` on the descriptor (regular files only).
public enum FileBytes {
    /// Opens `path` for reading, at most `limit` bytes; a file of another
    /// type than `types` (a FIFO, which would block) is refused.
    public static func open(_ path: String, limit: Int, allowing types: [FileType] = [.regular])
        throws(FileAccessError) -> OpenedFile
    {
        let descriptor: FileDescriptor
        do {
            descriptor = FileDescriptor(
                rawValue: try valueOrErrno { Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY) })
        } catch {
            throw FileAccessError(.open, path, .system(error))
        }
        return try OpenedFile(path: path, descriptor: descriptor, limit: limit, allowing: types)
    }

    /// Reads at most `limit` bytes; a longer file is an error, not a silent cut.
    public static func read(_ path: String, limit: Int = 64 << 20) throws(FileAccessError) -> [UInt8] {
        try open(path, limit: limit).readAll()
    }

    /// Reads the file as `read` does; nil when it does not exist. Any other
    /// failure (permissions, a FIFO, too large) is thrown as it is, never
    /// taken for absence.
    public static func readIfPresent(_ path: String, limit: Int = 64 << 20) throws(FileAccessError) -> [UInt8]? {
        do {
            return try read(path, limit: limit)
        } catch {
            guard error.operation == .open, error.reason == .system(.noSuchFileOrDirectory) else { throw error }
            return nil
        }
    }

    /// Whether something is at `path` (a link is not followed); absent is
    /// false, and a failure to tell (permissions, I/O) is thrown.
    public static func exists(_ path: String) throws(FileAccessError) -> Bool {
        do {
            _ = try FilePath(path).stat(followTargetSymlink: false)
            return true
        } catch  where error == .noSuchFileOrDirectory || error == .notDirectory {
            return false
        } catch {
            throw FileAccessError(.open, path, .system(error))
        }
    }

    /// Reads standard input to its end (a pipe from the rpm trigger), at
    /// most `limit` bytes.
    public static func readStandardInput(limit: Int) throws(FileAccessError) -> [UInt8] {
        let input = try OpenedFile(
            path: "standard input", descriptor: .standardInput, limit: limit,
            allowing: [.fifo, .regular, .socket, .characterSpecial], closing: false)
        return try input.readAll()
    }
}
