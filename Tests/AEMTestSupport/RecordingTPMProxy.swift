import Foundation

/// A wiretap on the TPM bus: it listens on a swtpm TCTI's two loopback
/// ports, forwards every byte to a real swtpm and records what passes in
/// each direction, as a bus interposer on the LPC/SPI wires would. A
/// Python relay, independent of the code under test; stopped on release.
public final class RecordingTPMProxy: @unchecked Sendable {
    public let port: Int
    private let process = Process()
    private let folder: TemporaryDirectory

    /// The TCTI to give the tool instead of the TPM's own.
    public var tcti: String { "swtpm:host=127.0.0.1,port=\(port)" }

    public init(inFrontOf tpm: SoftwareTPM) throws {
        folder = try TemporaryDirectory()
        port = try LoopbackPorts.free(count: 2)
        let script = """
            import socket, sys, threading
            listen, target, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
            lock = threading.Lock()
            def pump(source, sink, name):
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
                        with open(out + "/" + name, "ab") as f: f.write(data)
                    sink.sendall(data)
            def serve(offset):
                server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                server.bind(("127.0.0.1", listen + offset)); server.listen(16)
                while True:
                    client, _ = server.accept()
                    tpm = socket.create_connection(("127.0.0.1", target + offset))
                    threading.Thread(target=pump, args=(client, tpm, "to-tpm"), daemon=True).start()
                    threading.Thread(target=pump, args=(tpm, client, "from-tpm"), daemon=True).start()
            threading.Thread(target=serve, args=(1,), daemon=True).start()
            serve(0)
            """
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, String(port), String(tpm.port), folder.path]
        try process.run()
        for _ in 0..<100 where !LoopbackPorts.accepts(port + 1) { usleep(50_000) }
        guard LoopbackPorts.accepts(port) else {
            throw Command.Failure(description: "the recording proxy did not start")
        }
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Everything recorded so far, in both directions.
    public var recorded: [UInt8] {
        ((try? folder.read("to-tpm")) ?? []) + ((try? folder.read("from-tpm")) ?? [])
    }

    /// Forgets what was recorded.
    public func clear() {
        for name in ["to-tpm", "from-tpm"] { try? FileManager.default.removeItem(atPath: folder.path(name)) }
    }

    /// Whether `needle` passed the wire, in either direction.
    public func saw(_ needle: [UInt8]) -> Bool {
        let haystack = recorded
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains {
            haystack[$0..<($0 + needle.count)].elementsEqual(needle)
        }
    }
}
