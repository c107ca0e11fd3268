import CLinux
import Foundation
import SystemPackage

/// Crash-safe file operations: every write goes to a temporary file that is
/// fsync'ed, renamed over the target and followed by an fsync of the
/// directory, so that after a crash the target is either the old or the
/// new content, never a mix or an empty file.
public enum DurableFiles {

    /// What `path` itself is (`S_IFDIR`, `S_IFLNK`, ...), links not
    /// followed; nil when it does not exist.
    public static func kind(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
    }

    /// Sets `path`'s mode through a descriptor opened without following a
    /// link, so a link never passes the change on to its target.
    static func setMode(_ path: String, _ mode: mode_t) throws(DurableFileError) {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            throw errno == ELOOP ? .link(path) : DurableFileError("setting permissions of", path)
        }
        defer { close(descriptor) }
        guard fchmod(descriptor, mode) == 0 else { throw DurableFileError("setting permissions of", path) }
    }

    /// Writes `bytes` to `path` atomically with permissions `mode`.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws(DurableFileError) {
        if let failure = bytes.withUnsafeBytes({ attempt($0, to: path, mode: mode) }) { throw failure }
    }

    /// Writes secret bytes to `path` atomically (0600 unless told otherwise).
    public static func write(_ secret: SecretBytes, to path: String, mode: mode_t = 0o600) throws(DurableFileError) {
        if let failure = secret.withUnsafeBytes({ attempt($0, to: path, mode: mode) }) { throw failure }
    }

    private static func attempt(_ bytes: UnsafeRawBufferPointer, to path: String, mode: mode_t) -> DurableFileError? {
        do {
            try write(bytes, to: path, mode: mode)
            return nil
        } catch {
            return error
        }
    }

    static func write(_ bytes: UnsafeRawBufferPointer, to path: String, mode: mode_t) throws(DurableFileError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = directory + "/." + (path as NSString).lastPathComponent + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
        guard descriptor >= 0 else { throw DurableFileError("creating", temporary) }
        var closed = false
        defer {
            if !closed { close(descriptor) }
        }
        // The failure of `operation` (its errno, taken first), with the
        // temporary file removed: the target keeps its old content.
        func abandon(_ operation: String, _ subject: String, _ errno: Errno = Errno(rawValue: Glibc.errno))
            -> DurableFileError
        {
            let failure = DurableFileError(operation, subject, errno)
            unlink(temporary)
            return failure
        }
        guard fchmod(descriptor, mode) == 0 else { throw abandon("setting permissions of", temporary) }
        do {
            _ = try systemCall { try FileDescriptor(rawValue: descriptor).writeAll(bytes) }
        } catch {
            throw abandon("writing", temporary, error)
        }
        guard fsync(descriptor) == 0 else { throw abandon("syncing", temporary) }
        closed = true
        guard close(descriptor) == 0 else { throw abandon("closing", temporary) }
        FaultPoints.hit("write:\((path as NSString).lastPathComponent)")
        guard rename(temporary, path) == 0 else { throw abandon("renaming into place", path) }
        try syncDirectory(directory)
    }

    /// fsync a directory, making renames and creations in it durable.
    public static func syncDirectory(_ path: String) throws(DurableFileError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw DurableFileError("opening directory", path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw DurableFileError("syncing directory", path) }
    }

    /// Creates a directory (and parents) with `mode`, syncing each new level.
    /// A link in the way is refused, never followed.
    public static func makeDirectory(_ path: String, mode: mode_t = 0o700) throws(DurableFileError) {
        switch kind(path) {
        case S_IFDIR?: return
        case S_IFLNK?: throw .link(path)
        case nil: break
        default: throw DurableFileError("creating directory", path, errno: ENOTDIR)
        }
        let parent = (path as NSString).deletingLastPathComponent
        if parent != path && !parent.isEmpty { try makeDirectory(parent, mode: mode) }
        guard mkdir(path, mode) == 0 || errno == EEXIST else { throw DurableFileError("creating directory", path) }
        try setMode(path, mode)
        try syncDirectory(parent.isEmpty ? "/" : parent)
    }

    /// Atomically swaps two directory entries (`renameat2(RENAME_EXCHANGE)`):
    /// at every moment each name holds one complete version.
    public static func exchange(_ first: String, _ second: String) throws(DurableFileError) {
        FaultPoints.hit("exchange:\((second as NSString).lastPathComponent)")
        guard renameat2(AT_FDCWD, first, AT_FDCWD, second, AEM_RENAME_EXCHANGE) == 0 else {
            throw DurableFileError("exchanging \(first) with", second)
        }
        try syncParents(of: first, second)
    }

    /// Renames, refusing to replace an existing target, then syncs both
    /// directories. `label` names the fault point (default: the target's name).
    public static func move(_ source: String, to target: String, label: String? = nil) throws(DurableFileError) {
        FaultPoints.hit("move:\(label ?? (target as NSString).lastPathComponent)")
        guard renameat2(AT_FDCWD, source, AT_FDCWD, target, AEM_RENAME_NOREPLACE) == 0 else {
            throw DurableFileError("moving \(source) to", target)
        }
        try syncParents(of: target, source)
    }

    /// Syncs the directories holding two renamed entries (once when they share one).
    private static func syncParents(of first: String, _ second: String) throws(DurableFileError) {
        let firstParent = (first as NSString).deletingLastPathComponent
        let secondParent = (second as NSString).deletingLastPathComponent
        try syncDirectory(firstParent)
        if secondParent != firstParent { try syncDirectory(secondParent) }
    }

    /// Makes a folder 0700 and the files in it 0600, owner only; a link,
    /// the folder or an entry, is refused rather than have its target changed.
    public static func restrictTree(_ path: String) throws(DurableFileError) {
        try setMode(path, 0o700)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            try setMode(path + "/" + name, 0o600)
        }
    }

    /// Removes a directory tree (after its content is safe elsewhere).
    public static func removeTree(_ path: String) throws(DurableFileError) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        FaultPoints.hit("remove:\((path as NSString).lastPathComponent)")
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw DurableFileError("removing", path, errno: EIO)
        }
        try syncDirectory((path as NSString).deletingLastPathComponent)
    }
}

/// Named places in every write and rename where tests stop the process
/// with SIGKILL, to prove that a crash at any of them leaves a complete old
/// or new set. Inactive unless `AEM_RESEAL_FAULT_POINTS_ENABLE=i-am-a-test`,
/// so a stray variable on a real system cannot kill the tool:
///
/// - `AEM_RESEAL_FAULT_POINT=name` (or `name#k` for the k-th time it is
///   reached) kills the process there;
/// - `AEM_RESEAL_FAULT_COMMAND=cmd` runs `sh -c cmd` there instead of
///   killing (to stop the TPM mid-run, or to hold the lock for a while);
/// - `AEM_RESEAL_FAULT_POINTS_TRACE=file` appends every point reached.
///
/// Only debug builds (the tests') carry them: in a release build `hit` is
/// empty and none of this code, nor the variables' names, is in the binary
/// (`packaging/check-install` checks).
public enum FaultPoints {
    #if DEBUG
        private struct Settings {
            var target: String?
            var command: String?
            var trace: String?
        }

        private static let settings: Settings? = {
            let environment = ProcessInfo.processInfo.environment
            guard environment["AEM_RESEAL_FAULT_POINTS_ENABLE"] == "i-am-a-test" else { return nil }
            return Settings(
                target: environment["AEM_RESEAL_FAULT_POINT"], command: environment["AEM_RESEAL_FAULT_COMMAND"],
                trace: environment["AEM_RESEAL_FAULT_POINTS_TRACE"])
        }()

        nonisolated(unsafe) private static var counts = [String: Int]()

        public static func hit(_ name: String) {
            guard let settings else { return }
            counts[name, default: 0] += 1
            let occurrence = "\(name)#\(counts[name]!)"
            if let trace = settings.trace {
                let descriptor = open(trace, O_WRONLY | O_APPEND | O_CREAT, 0o600)
                if descriptor >= 0 {
                    let line = Array((occurrence + "\n").utf8)
                    _ = line.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                    close(descriptor)
                }
            }
            guard let target = settings.target, target == occurrence || (target == name && counts[name] == 1) else {
                return
            }
            if let command = settings.command {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", command]
                try? process.run()
                process.waitUntilExit()
                return
            }
            kill(getpid(), SIGKILL)
        }
    #else
        @inline(__always) public static func hit(_ name: String) {}
    #endif
}
