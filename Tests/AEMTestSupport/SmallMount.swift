import Foundation

/// A real tmpfs mounted for one test: a small, full or read-only AEM
/// media, as the kernel really refuses writes to it (ENOSPC, EROFS).
/// Needs root, as the integration tests run; unmounted on release.
public final class SmallMount: @unchecked Sendable {
    public let path: String

    /// Mounts a tmpfs of `kilobytes` and `inodes` at `path` (created).
    public init(at path: String, kilobytes: Int = 256, inodes: Int = 64) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let result = try Command.run(
            "mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k,nr_inodes=\(inodes),mode=0755", "tmpfs", path])
        guard result.status == 0 else { throw Command.Failure(description: "mount tmpfs at \(path): \(result.stderr)") }
    }

    deinit { unmount() }

    /// Unmounts now (before the test's folder is removed).
    public func unmount() { _ = try? Command.run("umount", ["-l", path]) }

    public func remount(readOnly: Bool) throws {
        let result = try Command.run("mount", ["-o", "remount,\(readOnly ? "ro" : "rw")", path])
        guard result.status == 0 else { throw Command.Failure(description: "remount \(path): \(result.stderr)") }
    }

    /// Fills the file system until only `inodes` inodes, or until no byte, is left.
    public func fill(leavingInodes inodes: Int? = nil) throws {
        let filler = path + "/filler"
        try FileManager.default.createDirectory(atPath: filler, withIntermediateDirectories: true)
        if let inodes {
            var info = statvfs()
            var index = 0
            while statvfs(path, &info) == 0, Int(info.f_ffree) > inodes {
                guard FileManager.default.createFile(atPath: filler + "/\(index)", contents: nil) else { break }
                index += 1
            }
        } else {
            _ = try Command.run("dd", ["if=/dev/zero", "of=\(filler)/bytes", "bs=4096"])
        }
    }

    /// Frees what `fill` took.
    public func empty() throws {
        try FileManager.default.removeItem(atPath: path + "/filler")
    }
}
