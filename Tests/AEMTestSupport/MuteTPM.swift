import Foundation

/// A TPM endpoint that accepts connections on the swtpm command and
/// control ports and never answers: the hang a wedged TPM or a stuck
/// resource manager causes. A Python listener, stopped on release.
public final class MuteTPM: @unchecked Sendable {
    public let port: Int
    /// Holds the two ports while the listener is there.
    private let ports: PortReservation
    private let process = Process()

    public var tcti: String { "swtpm:host=127.0.0.1,port=\(port)" }

    public init() throws {
        ports = try PortReservation(count: 2)
        port = ports.first
        let script = """
            import select, socket, sys
            port = int(sys.argv[1])
            listeners = []
            for p in (port, port + 1):
                s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("127.0.0.1", p)); s.listen(16); listeners.append(s)
            open_ = []
            while True:
                ready, _, _ = select.select(listeners + open_, [], [])
                for s in ready:
                    if s in listeners:
                        open_.append(s.accept()[0])
                    elif not s.recv(65536):
                        open_.remove(s); s.close()
            """
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, String(port)]
        try process.run()
        for _ in 0..<100 where !LoopbackPorts.accepts(port + 1) { usleep(50_000) }
        guard LoopbackPorts.accepts(port) else { throw Command.Failure(description: "the mute TPM did not start") }
    }

    /// SIGKILL: the test runner hands its children a mask that blocks SIGTERM.
    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
