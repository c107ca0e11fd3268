import Foundation

/// Runs a Python 3 snippet: an implementation independent of the code
/// under test (hashlib instead of the OpenSSL EVP wrapper) for expected
/// values that no fixture provides.
enum Python {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ script: String, input: String = "") throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "python3 failed: \(String(decoding: err, as: UTF8.self))")
        }
        return String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Extends `start` with each measurement in turn, with hashlib.
    static func extend(bank: String, start: String, measurements: [String]) throws -> String {
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

    /// hashlib digest of bytes.
    static func hash(_ bank: String, _ bytes: [UInt8]) throws -> String {
        let script = """
            import hashlib, sys
            bank, data = (sys.stdin.read().split() + [""])[:2]
            print(hashlib.new(bank, bytes.fromhex(data)).hexdigest())
            """
        return try run(script, input: bank + " " + bytes.map { String(format: "%02x", $0) }.joined())
    }
}
