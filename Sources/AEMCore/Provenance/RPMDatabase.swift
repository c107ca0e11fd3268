import Foundation

/// The rpm database on dom0's encrypted root, asked through the `rpm`
/// command as `rpm -V` asks it: which installed package owns a file and
/// the digest it recorded for it. dnf checked each package's signature
/// before installing it, so a file on /boot with that digest is the
/// package's own. `rpm -q` works inside an rpm file trigger too (rpm 4.16+,
/// sqlite database; the trigger's own transaction does not lock queries).
public struct RPMDatabase: Sendable {
    /// The system root (`rpm --root`), `/` on dom0.
    public var root: String
    public var executable: String
    /// A query that takes longer is abandoned: it must not hold up dnf.
    public var timeout: TimeInterval

    public init(root: String, executable: String = "/usr/bin/rpm", timeout: TimeInterval = 30) {
        self.root = root
        self.executable = executable
        self.timeout = timeout
    }

    /// What rpm records for one file of one package.
    public struct Record: Sendable, Equatable {
        /// `name-version-release.arch` of the owner.
        public var package: String
        /// rpm's digest algorithm number (8: SHA-256).
        public var algorithm: Int
        /// Lowercase hex; empty for a `%ghost` file, which has no content in the package.
        public var digest: String
        public var isGhost: Bool
    }

    /// rpm's number for SHA-256 file digests (`PGPHASHALGO_SHA256`).
    public static let sha256Algorithm = 8

    /// The records for `paths` (absolute, as rpm names files: `/boot/...`),
    /// by path; a path no package owns has none. Paths with control
    /// characters are not asked about (they are owned by nothing rpm installs).
    public func records(for paths: [String]) throws(RPMDatabaseError) -> [String: [Record]] {
        let asked = paths.filter { path in path.hasPrefix("/") && !path.unicodeScalars.contains { $0.value < 0x20 } }
        guard !asked.isEmpty else { return [:] }
        // Each line starts with a fresh nonce: a file name on /boot cannot
        // forge a line of the answer (rpm prints asked names in its
        // "not owned" lines).
        let nonce = (0..<16).map { _ in String(UInt8.random(in: 0...255), radix: 16) }.joined()
        var arguments = root == "/" ? [] : ["--root", root]
        arguments += [
            "-q", "--qf",
            "[\(nonce)\\t%{=NEVRA}\\t%{FILENAMES}\\t%{=FILEDIGESTALGO}\\t%{FILEDIGESTS}\\t%{FILEFLAGS:fflags}\\n]",
            "-f",
            "--",
        ]
        let (status, output, errors) = try run(arguments + asked)
        var records = [String: [Record]]()
        let wanted = Set(asked)
        for line in output.split(separator: "\n") where line.hasPrefix(nonce + "\t") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 6, wanted.contains(fields[2]) else { continue }
            records[fields[2], default: []].append(
                Record(
                    package: fields[1], algorithm: Int(fields[3]) ?? 1, digest: fields[4].lowercased(),
                    isGhost: fields[5].contains("g")))
        }
        // rpm exits non-zero when any path is unowned; only an answer
        // without any owner or "not owned" line is a failure.
        let unowned = ["is not owned by any package", "No such file or directory"]
        if records.isEmpty, status != 0, !unowned.contains(where: (output + errors).contains) {
            throw .failed(status: status, message: errors.split(separator: "\n").first.map(String.init) ?? "")
        }
        return records
    }

    private func run(_ arguments: [String]) throws(RPMDatabaseError) -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "LC_ALL": "C"]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .unavailable(executable)
        }
        let limit = 16 << 20
        let collected = OutputCollector()
        let group = DispatchGroup()
        for (pipe, index) in [(output, 0), (errors, 1)] {
            group.enter()
            DispatchQueue.global().async {
                collected.read(pipe.fileHandleForReading, into: index, limit: limit)
                group.leave()
            }
        }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw .timedOut(seconds: Int(timeout))
        }
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: collected.bytes(0), as: UTF8.self),
            String(decoding: collected.bytes(1), as: UTF8.self)
        )
    }
}

/// Two pipes read side by side, each bounded.
private final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var buffers: [[UInt8]] = [[], []]

    func read(_ handle: FileHandle, into index: Int, limit: Int) {
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { return }
            lock.lock()
            if buffers[index].count + chunk.count <= limit { buffers[index] += chunk }
            lock.unlock()
        }
    }

    func bytes(_ index: Int) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        return buffers[index]
    }
}

/// Why the rpm database could not be asked.
public enum RPMDatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// There is no `rpm` command (not a Fedora-based dom0).
    case unavailable(String)
    case timedOut(seconds: Int)
    case failed(status: Int32, message: String)

    public var description: String {
        switch self {
        case let .unavailable(path): return "\(path) cannot be run"
        case let .timedOut(seconds): return "rpm did not answer within \(seconds) s"
        case let .failed(status, message): return "rpm failed (exit \(status)): \(message)"
        }
    }
}
