import Foundation

/// A wiretap on a TPM's bus, as an interposer on the LPC/SPI wires would
/// sit: the tool (or tcsd) talks to the wiretap, which relays every byte
/// to the TPM and records what passes both ways. A Python relay,
/// independent of the code under test; stopped on release.
public final class BusWiretap: @unchecked Sendable {
    /// Where the wiretap listens and where it relays to.
    enum Line {
        /// A TPM 1.2's Unix socket, which tcsd is given instead.
        case unixSocket(listen: String, target: String)
        /// A swtpm TCTI's two loopback ports (commands, control) at `listen` and `listen + 1`.
        case swtpmPorts(listen: Int, target: Int)
    }

    private let process = Process()
    private let record: String
    private let folder: TemporaryDirectory?
    /// Holds the listening ports, on a swtpm line.
    private var ports: PortReservation?
    /// The loopback port the tool is given, on a swtpm line.
    public let port: Int?
    /// The socket tcsd is given instead of the TPM's, on a TPM 1.2 line.
    public let path: String?

    /// The TCTI to give the tool instead of the TPM's own.
    public var tcti: String { "swtpm:host=127.0.0.1,port=\(port ?? 0)" }

    /// A wiretap in front of `tpm`'s TCTI ports.
    public convenience init(inFrontOf tpm: SoftwareTPM) throws {
        let folder = try TemporaryDirectory()
        let ports = try PortReservation(count: 2)
        let port = ports.first
        try self.init(.swtpmPorts(listen: port, target: tpm.port), record: folder.path("wire.bin"), folder: folder)
        self.ports = ports
        for _ in 0..<100 where !LoopbackPorts.accepts(port + 1) { usleep(50_000) }
        guard LoopbackPorts.accepts(port) else { throw Command.Failure(description: "the wiretap did not start") }
    }

    /// A wiretap on the TPM 1.2 socket `target`; tcsd is given `path` instead.
    convenience init(in directory: TemporaryDirectory, forwardingTo target: String) throws {
        let path = directory.path("wiretap.sock")
        try self.init(.unixSocket(listen: path, target: target), record: directory.path("wiretap.bin"), folder: nil)
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: path) { usleep(20_000) }
        guard FileManager.default.fileExists(atPath: path) else {
            throw Command.Failure(description: "the wiretap did not start")
        }
    }

    private init(_ line: Line, record: String, folder: TemporaryDirectory?) throws {
        self.record = record
        self.folder = folder
        let arguments: [String]
        switch line {
        case let .unixSocket(listen, target):
            port = nil
            path = listen
            arguments = ["unix", listen, target]
        case let .swtpmPorts(listen, target):
            port = listen
            path = nil
            arguments = ["tcp", String(listen), String(target)]
        }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.relay] + arguments + [record]
        try process.run()
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The relay: one pair of pumps per connection, both directions appended to one file.
    private static let relay = """
        import socket, sys, threading
        mode, listen, target, out = sys.argv[1:5]
        lock = threading.Lock()
        def pump(source, sink):
            while True:
                try:
                    data = source.recv(65536)
                except OSError:
                    data = b""
                if not data:
                    for s in (source, sink):
                        try: s.shutdown(socket.SHUT_RDWR)
                        except OSError: pass
                    return
                with lock:
                    with open(out, "ab") as f: f.write(data)
                sink.sendall(data)
        def serve(make_server, connect):
            server = make_server()
            while True:
                client, _ = server.accept()
                tpm = connect()
                threading.Thread(target=pump, args=(client, tpm), daemon=True).start()
                threading.Thread(target=pump, args=(tpm, client), daemon=True).start()
        def unix_server():
            server = socket.socket(socket.AF_UNIX); server.bind(listen); server.listen(16)
            return server
        def unix_connect():
            tpm = socket.socket(socket.AF_UNIX); tpm.connect(target)
            return tpm
        def tcp_server(offset):
            server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind(("127.0.0.1", int(listen) + offset)); server.listen(16)
            return server
        if mode == "unix":
            serve(unix_server, unix_connect)
        else:
            for offset in (1, 0):
                threading.Thread(
                    target=serve, daemon=True,
                    args=(lambda o=offset: tcp_server(o),
                          lambda o=offset: socket.create_connection(("127.0.0.1", int(target) + o)))).start()
            threading.Event().wait()
        """

    /// Everything recorded so far, in both directions.
    public var recorded: [UInt8] { (try? Array(Data(contentsOf: URL(fileURLWithPath: record)))) ?? [] }

    /// Forgets what was recorded.
    public func clear() { try? FileManager.default.removeItem(atPath: record) }

    /// Whether `needle` passed the wire, in either direction.
    public func saw(_ needle: [UInt8]) -> Bool {
        let haystack = recorded
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains {
            haystack[$0..<($0 + needle.count)].elementsEqual(needle)
        }
    }
}
