import Foundation
import SystemPackage

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
                try? process.run()  // test-only kill point
                process.waitUntilExit()
                return
            }
            kill(getpid(), SIGKILL)
        }
    #else
        @inline(__always) public static func hit(_ name: String) {}
    #endif
}
