import CLinux
import Foundation
import SystemPackage

/// Serializes the commands that change sealed sets or state (`stage`,
/// `rollback`, `record`, `verify`): a second run waits for the first, up to
/// a timeout, then fails with a message naming the holder. The lock is an
/// `flock` on `/var/lib/aem-reseal/.lock`, released by the kernel if the
/// holder dies.
public final class RunLock {
    private let file: FileDescriptor

    /// Takes the lock, waiting up to `timeout` seconds; `waiting` is told once if it has to wait.
    public init(directory: String, command: String, timeout: TimeInterval, waiting: (String) -> Void)
        throws(RunLockError)
    {
        let path = directory + "/.lock"
        do {
            let folder = try DurableFiles.folder(directory)
            // A link planted in its place is refused, never written through;
            // a FIFO is refused by the check below, never waited on.
            file = FileDescriptor(
                rawValue: try valueOrErrno {
                    openat(
                        folder.descriptor.rawValue, ".lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
                        0o600)
                })
        } catch let error as FileAccessError {
            throw .lockFile(error)
        } catch {
            let errno = error as? Errno ?? .ioError
            throw .lockFile(FileAccessError(.open, path, errno == .tooManySymbolicLinkLevels ? .link : .system(errno)))
        }
        do {
            let status = try file.stat()
            guard status.type == .regular else {
                throw FileAccessError(.open, path, .notRegularFile(status.type))
            }
            guard status.linkCount == 1 else {
                throw FileAccessError(.open, path, .hardLinked(count: status.linkCount))
            }
        } catch let error as FileAccessError {
            try? file.close()  // closing after the failure thrown
            throw .lockFile(error)
        } catch {
            try? file.close()  // closing after the failure thrown
            throw .lockFile(FileAccessError(.open, path, .system(error as? Errno ?? .ioError)))
        }
        if (try? valueOrErrno { flock(file.rawValue, LOCK_EX | LOCK_NB) }) == nil {  // held by another run: wait below
            let holder = Self.holder(of: file)
            waiting(holder)
            let deadline = Date().addingTimeInterval(timeout)
            while (try? valueOrErrno { flock(file.rawValue, LOCK_EX | LOCK_NB) }) == nil {  // still held: wait
                guard Date() < deadline else {
                    try? file.close()  // closing after the timeout thrown
                    throw .busy(holder: holder)
                }
                usleep(100_000)
            }
        }
        _ = try? valueOrErrno { ftruncate(file.rawValue, 0) }  // the holder's name is for messages only
        _ = try? file.writeAll(toAbsoluteOffset: 0, Array("\(command), pid \(getpid())\n".utf8))  // (same)
    }

    deinit {
        flock(file.rawValue, LOCK_UN)
        try? file.close()  // closing releases the lock
    }

    private static func holder(of file: FileDescriptor) -> String {
        var buffer = [UInt8](repeating: 0, count: 128)
        // the holder's name is for messages only
        let count = (try? buffer.withUnsafeMutableBytes { try file.read(fromAbsoluteOffset: 0, into: $0) }) ?? 0
        let text =
            count > 0
            ? String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return text.isEmpty ? "unknown process" : text
    }
}
