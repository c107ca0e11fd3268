import Foundation

/// Runs the built `aem-reseal` binary, as a user would.
public enum CLI {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// stdout as bytes, for binary output.
        public var stdoutBytes: [UInt8] = []

        /// stdout parsed as a JSON object.
        public func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] else {
                throw CocoaError(.coderReadCorrupt)
            }
            return object
        }
    }

    /// The binary sits next to the test bundle in the build folder, unless
    /// `AEM_RESEAL_UNDER_TEST` names another (`make hostile-inputs` measures
    /// the release build that way).
    public static let executable: URL = {
        if let named = ProcessInfo.processInfo.environment["AEM_RESEAL_UNDER_TEST"], !named.isEmpty {
            return URL(fileURLWithPath: named)
        }
        let bundle = URL(
            fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0])
        return bundle.deletingLastPathComponent().appendingPathComponent("aem-reseal")
    }()

    public static func run(_ arguments: [String], stdin: String = "", environment: [String: String] = [:]) throws
        -> Result
    {
        try Command.run(
            executable.path, arguments, stdin: stdin, environment: ["NO_COLOR": "1"].merging(environment) { $1 })
    }
}

/// Runs any program and captures its output.
public enum Command {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public static func run(
        _ program: String, _ arguments: [String], stdin: String = "", environment: [String: String] = [:]
    ) throws -> CLI.Result {
        try run(program, arguments, stdinBytes: Array(stdin.utf8), environment: environment)
    }

    public static func run(
        _ program: String, _ arguments: [String], stdinBytes: [UInt8], environment: [String: String] = [:]
    ) throws -> CLI.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : "/usr/bin/env")
        process.arguments = program.hasPrefix("/") ? arguments : [program] + arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        // Output goes to files: no pipe can fill up and block the child.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("aem-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out")
        let errURL = scratch.appendingPathComponent("err")
        let inURL = scratch.appendingPathComponent("in")
        try Data(stdinBytes).write(to: inURL)
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardInput = try FileHandle(forReadingFrom: inURL)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        let out = try Data(contentsOf: outURL)
        return CLI.Result(
            status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self), stdoutBytes: Array(out))
    }

    /// Runs and requires success; returns stdout.
    @discardableResult
    public static func check(
        _ program: String, _ arguments: [String], stdin: String = "", environment: [String: String] = [:]
    ) throws -> String {
        let result = try run(program, arguments, stdin: stdin, environment: environment)
        guard result.status == 0 else {
            throw Failure(
                description: "\(program) \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result.stdout
    }
}
