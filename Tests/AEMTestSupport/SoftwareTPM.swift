import AEMCore
import AEMTPM
import Foundation

/// A throw-away swtpm (TPM 2.0) on loopback ports of its own, with its
/// control channel for simulating a dynamic launch and power cycles.
/// Stopped and its state removed when released.
public final class SoftwareTPM: @unchecked Sendable {
    public let state: TemporaryDirectory
    public let port: Int
    public let controlPort: Int
    /// Holds the two ports while swtpm listens there.
    private let ports: PortReservation?
    /// nil when attached to a swtpm someone else started.
    private let process: Process?

    /// The TCTI configuration for tpm2-tss and tpm2-tools.
    public var tcti: String { "swtpm:host=127.0.0.1,port=\(port)" }

    /// A second TPM with the same seeds and persistent objects (a copy of
    /// this one's state): what the same chip would be in another boot.
    public func clone() throws -> SoftwareTPM {
        let copy = try SoftwareTPM(stateFrom: state.path)
        return copy
    }

    public convenience init() throws {
        try self.init(stateFrom: nil)
    }

    private init(stateFrom source: String?) throws {
        state = try TemporaryDirectory()
        if let source {
            for name in try FileManager.default.contentsOfDirectory(atPath: source) where name.hasPrefix("tpm2-") {
                try FileManager.default.copyItem(atPath: source + "/" + name, toPath: state.path(name))
            }
        }
        var lastError: Error?
        for _ in 0..<10 {
            // The swtpm TCTI expects the control channel on the data port + 1.
            let reservation = try PortReservation(count: 2)
            let data = reservation.first
            let control = data + 1
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/swtpm")
            process.arguments = [
                "socket", "--tpm2",
                "--server", "type=tcp,port=\(data),bindaddr=127.0.0.1",
                "--ctrl", "type=tcp,port=\(control),bindaddr=127.0.0.1",
                "--tpmstate", "dir=\(state.path)",
                "--flags", "not-need-init,startup-clear",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: try state.write("swtpm.log", "")))
            do {
                try process.run()
                if Self.waitForListener(port: control, process: process) {
                    self.port = data
                    self.controlPort = control
                    self.process = process
                    ports = reservation
                    return
                }
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            } catch {
                lastError = error
            }
        }
        throw lastError
            ?? Command.Failure(
                description:
                    "swtpm did not start: \(String(decoding: (try? state.read("swtpm.log")) ?? [], as: UTF8.self))")
    }

    /// Uses a swtpm that is already running (the demo starts its own).
    public init(attachingTo port: Int) throws {
        state = try TemporaryDirectory()
        self.port = port
        controlPort = port + 1
        process = nil
        ports = nil
    }

    deinit { stop() }

    /// Stops swtpm: an orderly shutdown over the control channel, then
    /// SIGKILL if it is still there (swtpm may not act on SIGTERM while it
    /// waits for a client).
    public func stop() {
        guard let process, process.isRunning else { return }
        _ = try? Command.run("/usr/bin/swtpm_ioctl", ["--tcp", "127.0.0.1:\(controlPort)", "-s"])
        for _ in 0..<100 where process.isRunning { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// A connection through tpm2-tss.
    public func connect() throws -> TPMConnection {
        try TPMConnection(tcti: tcti)
    }

    /// Simulates GETSEC[SENTER]: PCRs 17-22 reset, PCR 17 = H(0 || H(data)).
    public func hashStart(_ data: String) throws {
        try control(["-h", data])
    }

    /// Reboots: TPM2_Shutdown(CLEAR), a TPM reset, TPM2_Startup(CLEAR).
    public func powerCycle() throws {
        try connect().shutdown()
        try control(["-i"])
        try connect().startup()
    }

    /// Runs a tpm2-tools command against this TPM.
    @discardableResult
    public func tool(_ name: String, _ arguments: [String], stdin: String = "") throws -> String {
        try Command.check(name, arguments, stdin: stdin, environment: ["TPM2TOOLS_TCTI": tcti, "TSS2_LOG": "all+none"])
    }

    public func toolResult(_ name: String, _ arguments: [String], stdin: String = "") throws -> CLI.Result {
        try Command.run(name, arguments, stdin: stdin, environment: ["TPM2TOOLS_TCTI": tcti, "TSS2_LOG": "all+none"])
    }

    private func control(_ arguments: [String]) throws {
        try Command.check("/usr/bin/swtpm_ioctl", ["--tcp", "127.0.0.1:\(controlPort)"] + arguments)
    }

    private static func waitForListener(port: Int, process: Process) -> Bool {
        for _ in 0..<200 {
            guard process.isRunning else { return false }
            if LoopbackPorts.accepts(port) { return true }
            usleep(25_000)
        }
        return false
    }
}
