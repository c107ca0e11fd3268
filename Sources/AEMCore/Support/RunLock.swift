import Foundation

/// Serializes the commands that change sealed sets or state (`stage`,
/// `rollback`, `record`, `verify`): a second run waits for the first, up to
/// a timeout, then fails with a message naming the holder. The lock is an
/// `flock` on `/var/lib/aem-reseal/.lock`, released by the kernel if the
/// holder dies.
public final class RunLock {
    private let descriptor: Int32

    /// Takes the lock, waiting up to `timeout` seconds; `waiting` is told once if it has to wait.
    public init(directory: String, command: String, timeout: TimeInterval, waiting: (String) -> Void)
        throws(RunLockError)
    {
        do {
            try DurableFiles.makeDirectory(directory, mode: 0o700)
        } catch {
            throw .lockFile(error)
        }
        let path = directory + "/.lock"
        // A link planted in its place is refused, never written through.
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw .lockFile(errno == ELOOP ? .link(path) : DurableFileError("opening", path)) }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let holder = Self.holder(of: descriptor)
            waiting(holder)
            let deadline = Date().addingTimeInterval(timeout)
            while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                guard Date() < deadline else {
                    close(descriptor)
                    throw .busy(holder: holder)
                }
                usleep(100_000)
            }
        }
        let note = Array("\(command), pid \(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = note.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private static func holder(of descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        let text =
            count > 0
            ? String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return text.isEmpty ? "unknown process" : text
    }
}
