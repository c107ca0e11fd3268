import AEMCore
import AEMTPM
import Foundation

/// A throw-away TPM 1.2 as a TPM 1.2 dom0 has one: swtpm in TPM 1.2 mode on
/// Unix sockets, TrouSerS' tcsd in front of it on a loopback port of its
/// own, the TPM owned with the well-known owner and SRK secrets
/// (`tpm_takeownership -z`, as AEM sets a TPM up without passwords) unless
/// made unowned.
/// tcsd must start as root (it drops to the `tss` user).
/// Stopped and its state removed when released.
public final class SoftwareTPM12: @unchecked Sendable {
    public let directory: TemporaryDirectory
    public let tcsdPort: Int
    /// Holds tcsd's port while it listens there.
    private let tcsdPorts: PortReservation
    private var swtpm: Process?
    private var tcsd: Process?

    var stateDirectory: String { directory.path("state") }
    var dataSocket: String { directory.path("tpm.sock") }
    var controlSocket: String { directory.path("ctrl.sock") }

    /// What tpm-tools and aem-reseal need to reach this TPM's tcsd.
    public var environment: [String: String] { ["TSS_TCSD_PORT": String(tcsdPort)] }

    /// Records every byte between tcsd and the TPM (the bus), when made
    /// with `wiretapped`.
    public private(set) var wiretap: BusWiretap?

    /// Not `owned`: no owner yet, as a TPM before `anti-evil-maid-tpm-setup`.
    public init(wiretapped: Bool = false, owned: Bool = true) throws {
        directory = try TemporaryDirectory()
        tcsdPorts = try PortReservation(count: 1)
        tcsdPort = tcsdPorts.first
        try FileManager.default.createDirectory(atPath: directory.path("state"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory.path("tcsd-data"), withIntermediateDirectories: true)
        try Command.check("/usr/bin/swtpm_setup", ["--tpm-state", stateDirectory, "--createek"])
        let configuration = try directory.write(
            "tcsd.conf", "port = \(tcsdPort)\nsystem_ps_file = \(directory.path("tcsd-data"))/system.data\n")
        // tcsd refuses a configuration others could change, and writes its store as tss.
        try FileManager.default.setAttributes(
            [.ownerAccountName: "root", .groupOwnerAccountName: "tss", .posixPermissions: 0o640],
            ofItemAtPath: configuration)
        try FileManager.default.setAttributes(
            [.ownerAccountName: "tss", .groupOwnerAccountName: "tss"], ofItemAtPath: directory.path("tcsd-data"))
        if wiretapped { wiretap = try BusWiretap(in: directory, forwardingTo: dataSocket) }
        try start()
        // tcsd accepts connections a moment before it serves them: on a
        // loaded machine the first client can meet "Communication failure".
        for attempt in 1...5 where owned {
            let taken = try toolResult("tpm_takeownership", ["-y", "-z"])
            if taken.status == 0 { break }
            guard attempt < 5, taken.stderr.contains("Communication failure") else {
                throw Command.Failure(description: "tpm_takeownership: \(taken.stderr)")
            }
            usleep(300_000)
        }
    }

    deinit { stop() }

    /// Simulates GETSEC[SENTER]: PCRs 17-22 reset, PCR 17 = SHA1(0 || SHA1(data)).
    public func hashStart(_ data: String) throws {
        try control(["-h", data])
    }

    /// The locality of the TPM's next commands (PCR 17-19 need 2).
    public func setLocality(_ locality: UInt8) throws {
        try control(["-l", String(locality)])
    }

    /// A connection through tcsd.
    public func connect() throws -> TPM12Connection {
        try TPM12Connection(port: tcsdPort)
    }

    /// Power off and on: tcsd stopped, swtpm stopped (its state saved) and
    /// started again with TPM_Startup(ST_CLEAR), tcsd started again.
    public func powerCycle() throws {
        stop()
        try start()
    }

    /// Runs a tpm-tools command against this TPM; throws when it fails.
    @discardableResult
    public func tool(_ name: String, _ arguments: [String], stdin: String = "") throws -> String {
        try Command.check(name, arguments, stdin: stdin, environment: environment)
    }

    public func toolResult(_ name: String, _ arguments: [String], stdin: String = "") throws -> CLI.Result {
        try Command.run(name, arguments, stdin: stdin, environment: environment)
    }

    public func stop() {
        if let tcsd, tcsd.isRunning {
            // tcsd waits for its clients before acting on SIGTERM.
            tcsd.terminate()
            for _ in 0..<100 where tcsd.isRunning { usleep(10_000) }
            if tcsd.isRunning { kill(tcsd.processIdentifier, SIGKILL) }
            tcsd.waitUntilExit()
        }
        tcsd = nil
        if let swtpm, swtpm.isRunning {
            _ = try? Command.run("/usr/bin/swtpm_ioctl", ["--unix", controlSocket, "-s"])
            for _ in 0..<100 where swtpm.isRunning { usleep(10_000) }
            if swtpm.isRunning { kill(swtpm.processIdentifier, SIGKILL) }
            swtpm.waitUntilExit()
        }
        swtpm = nil
    }

    private func start() throws {
        let swtpm = Process()
        swtpm.executableURL = URL(fileURLWithPath: "/usr/bin/swtpm")
        swtpm.arguments = [
            "socket", "--tpmstate", "dir=\(stateDirectory)",
            "--server", "type=unixio,path=\(dataSocket),mode=0600",
            "--ctrl", "type=unixio,path=\(controlSocket),mode=0600",
            "--flags", "not-need-init,startup-clear",
        ]
        swtpm.standardOutput = FileHandle.nullDevice
        swtpm.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: try directory.write("swtpm.log", "")))
        try swtpm.run()
        self.swtpm = swtpm
        // tcsd opens the data socket: both must exist before it starts.
        let ready = {
            FileManager.default.fileExists(atPath: self.controlSocket)
                && FileManager.default.fileExists(atPath: self.dataSocket)
        }
        guard Self.wait(for: ready, while: swtpm) else {
            throw Command.Failure(
                description:
                    "swtpm (TPM 1.2) did not start: \(String(decoding: (try? directory.read("swtpm.log")) ?? [], as: UTF8.self))"
            )
        }

        // On a loaded machine tcsd can still miss the socket and exit at
        // once ("Could not find a device to open"): a few bounded retries.
        for attempt in 1...3 {
            let tcsd = Process()
            tcsd.executableURL = URL(fileURLWithPath: "/usr/sbin/tcsd")
            tcsd.arguments = ["-f", "-e", "-c", directory.path("tcsd.conf")]
            // Debian's tcsd talks to an emulator (-e) on this Unix socket.
            tcsd.environment = [
                "TCSD_TCP_DEVICE_PORT": "1", "TCSD_UN_SOCKET_DEVICE_PATH": wiretap?.path ?? dataSocket,
            ]
            tcsd.standardOutput = FileHandle.nullDevice
            tcsd.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: try directory.write("tcsd.log", "")))
            try tcsd.run()
            self.tcsd = tcsd
            if Self.wait(for: { LoopbackPorts.accepts(self.tcsdPort) }, while: tcsd) { return }
            if tcsd.isRunning { tcsd.terminate() }
            tcsd.waitUntilExit()
            guard attempt < 3 else { break }
            usleep(200_000)
        }
        throw Command.Failure(
            description:
                "tcsd did not start: \(String(decoding: (try? directory.read("tcsd.log")) ?? [], as: UTF8.self))")
    }

    private func control(_ arguments: [String]) throws {
        try Command.check("/usr/bin/swtpm_ioctl", ["--unix", controlSocket] + arguments)
    }

    private static func wait(for condition: () -> Bool, while process: Process) -> Bool {
        for _ in 0..<400 {
            if condition() { return true }
            guard process.isRunning else { return false }
            usleep(25_000)
        }
        return false
    }
}
