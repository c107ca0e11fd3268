import Foundation
import SystemPackage

/// Crash-safe writes to dom0's own disk by path (the state file, boot
/// records, the run lock's folder): the path's folder is opened as a
/// `ConfinedDirectory` and the change is made inside it, the same one way
/// the media is written. The folders named here are dom0's, so links in
/// the path itself are followed; nothing below them is.
public enum DurableFiles {
    /// The folder at `path`, made (with `mode`, parents too) when missing.
    public static func folder(_ path: String, creating mode: mode_t = 0o700) throws(FileAccessError)
        -> ConfinedDirectory
    {
        do {
            return try ConfinedDirectory(path: path, resolution: .withoutLinks)
        } catch let error where error.reason == .system(.noSuchFileOrDirectory) {
            let file = FilePath(path)
            guard let name = file.lastComponent?.string, !file.removingLastComponent().isEmpty else { throw error }
            return try folder(file.removingLastComponent().string, creating: mode).makeDirectory(name, mode: mode)
        }
    }

    /// Writes `bytes` to `path` atomically with permissions `mode`, making its folder when missing.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws(FileAccessError) {
        let (parent, name) = try split(path)
        try folder(parent).write(name, bytes, mode: mode)
    }

    /// Removes the file or folder tree at `path` (nothing when absent).
    public static func removeTree(_ path: String) throws(FileAccessError) {
        let (parent, name) = try split(path)
        try ConfinedDirectory(path: parent, resolution: .withoutLinks).removeTree(name)
    }

    private static func split(_ path: String) throws(FileAccessError) -> (String, String) {
        let file = FilePath(path)
        guard let name = file.lastComponent?.string else { throw FileAccessError(.write, path, .escapes) }
        return (file.removingLastComponent().string, name)
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
/// (`ReleasePackageTests` checks the packaged binary).
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
