import Foundation

/// Runs a command with a deadline and measures it, as the bounds on
/// hostile input are stated: it must answer within `seconds` and peak
/// below a memory budget. A Python watchdog runs it (killing it at the
/// deadline, so a hang fails the test instead of blocking the suite) and
/// reports its peak resident memory, children included (the trigger's
/// aem-reseal).
public enum Bounded {
    public struct Run: Sendable {
        public var result: CLI.Result
        public var seconds: Double
        /// Peak resident set of the command and every child it waited for.
        public var peakBytes: Int
        public var timedOut: Bool
    }

    public static func run(
        _ program: String, _ arguments: [String], stdin: String = "", environment: [String: String] = [:],
        deadline: Double = 10
    ) throws -> Run {
        let folder = try TemporaryDirectory()
        let report = folder.path("report")
        let watchdog = """
            import resource, subprocess, sys, time
            deadline, report, command = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
            start = time.monotonic()
            child = subprocess.Popen(command)
            try:
                child.wait(timeout=deadline)
                timed_out = 0
            except subprocess.TimeoutExpired:
                child.kill(); child.wait(); timed_out = 1
            seconds = time.monotonic() - start
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
            open(report, "w").write("%f %d %d" % (seconds, peak, timed_out))
            sys.exit(child.returncode if child.returncode >= 0 else 128 - child.returncode)
            """
        let result = try Command.run(
            "python3", ["-c", watchdog, String(deadline), report, program] + arguments, stdin: stdin,
            environment: environment)
        let fields = String(decoding: try folder.read("report"), as: UTF8.self).split(separator: " ")
        return Run(
            result: result, seconds: Double(fields[0]) ?? .infinity, peakBytes: Int(fields[1]) ?? .max,
            timedOut: fields[2] == "1")
    }

    /// The built aem-reseal, bounded.
    public static func tool(_ arguments: [String], stdin: String = "", environment: [String: String] = [:])
        throws -> Run
    {
        try run(
            CLI.executable.path, arguments, stdin: stdin, environment: ["NO_COLOR": "1"].merging(environment) { $1 })
    }
}
