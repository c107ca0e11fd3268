import Foundation

/// Locks every test process on this machine shares, for what the machine
/// has once (loopback ports, the mount table that each new mount namespace
/// copies): files in one folder of `/run/lock`, held with flock(2). The
/// kernel releases a lock when its last holder exits, however it exits, so
/// a crashed suite leaves none behind. Within one process two opens of the
/// same file exclude each other too.
public enum MachineLocks {
    /// The same for every clone and worktree: they share the machine.
    public static let folder = "/run/lock/aem-reseal-tests"

    /// The lock file `name` (the folder is made on first use).
    public static func path(_ name: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder + "/" + name
    }

    /// Takes lock `name` without waiting: the open descriptor that holds it
    /// (close it to release), or nil while another holder has it.
    public static func take(_ name: String) throws -> Int32? {
        let descriptor = open(try path(name), O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw Command.Failure(description: "cannot open the lock \(name): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    /// Runs `body` holding lock `name`, waiting for it as long as it takes.
    public static func withLock<T>(_ name: String, _ body: () throws -> T) throws -> T {
        let descriptor = open(try path(name), O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw Command.Failure(description: "cannot open the lock \(name): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw Command.Failure(description: "cannot take the lock \(name): \(String(cString: strerror(errno)))")
            }
        }
        return try body()
    }
}
