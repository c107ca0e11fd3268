import Foundation

/// Runs a Python 3 snippet: an implementation independent of the code
/// under test (hashlib instead of the OpenSSL EVP wrapper) for expected
/// values that no fixture provides.
public enum Python {
    public static func run(_ script: String, input: String = "") throws -> String {
        try Command.check("python3", ["-c", script], stdin: input).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Extends `start` with each measurement in turn, with hashlib.
    public static func extend(bank: String, start: String, measurements: [String]) throws -> String {
        let script = """
            import hashlib, sys
            bank, start, *ms = sys.stdin.read().split()
            value = bytes.fromhex(start)
            for m in ms:
                value = hashlib.new(bank, value + bytes.fromhex(m)).digest()
            print(value.hex())
            """
        return try run(script, input: ([bank, start] + measurements).joined(separator: " "))
    }

    /// hashlib digest of bytes (passed raw on stdin: large modules too).
    public static func hash(_ bank: String, _ bytes: [UInt8]) throws -> String {
        let script = "import hashlib, sys; print(hashlib.new(sys.argv[1], sys.stdin.buffer.read()).hexdigest())"
        let result = try Command.run("python3", ["-c", script, bank], stdinBytes: bytes)
        guard result.status == 0 else { throw Command.Failure(description: "python3 failed: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// tboot's module measurement, computed with hashlib:
    /// H(H(cmdline) || H(image)), for an image given as a file.
    public static func tbootModuleDigest(bank: String, commandLine: String, imagePath: String) throws -> String {
        let script = """
            import hashlib, sys
            bank, path = sys.argv[1], sys.argv[2]
            cmdline = sys.stdin.buffer.read()
            image = hashlib.new(bank, open(path, 'rb').read()).digest()
            print(hashlib.new(bank, hashlib.new(bank, cmdline).digest() + image).hexdigest())
            """
        return try Command.check("python3", ["-c", script, bank, imagePath], stdin: commandLine)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
