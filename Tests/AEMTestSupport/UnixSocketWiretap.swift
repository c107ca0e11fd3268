import Foundation

/// A wiretap on a TPM 1.2's bus: a Unix socket that tcsd connects to in
/// place of the TPM's, relaying every byte to it and recording what passes
/// both ways. A Python relay, independent of the code under test.
public final class UnixSocketWiretap: @unchecked Sendable {
    /// The socket to give tcsd instead of the TPM's.
    public let path: String
    private let record: String
    private let process = Process()

    init(in directory: TemporaryDirectory, forwardingTo target: String) throws {
        path = directory.path("wiretap.sock")
        record = directory.path("wiretap.bin")
        let script = """
            import os, socket, sys, threading
            listen, target, out = sys.argv[1], sys.argv[2], sys.argv[3]
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
            server = socket.socket(socket.AF_UNIX); server.bind(listen); server.listen(16)
            while True:
                client, _ = server.accept()
                tpm = socket.socket(socket.AF_UNIX); tpm.connect(target)
                threading.Thread(target=pump, args=(client, tpm), daemon=True).start()
                threading.Thread(target=pump, args=(tpm, client), daemon=True).start()
            """
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path, target, record]
        try process.run()
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: path) { usleep(20_000) }
        guard FileManager.default.fileExists(atPath: path) else {
            throw Command.Failure(description: "the wiretap did not start")
        }
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Everything recorded so far, in both directions.
    public var recorded: [UInt8] { (try? Array(Data(contentsOf: URL(fileURLWithPath: record)))) ?? [] }

    public func clear() { try? FileManager.default.removeItem(atPath: record) }

    /// Whether `needle` passed the wire.
    public func saw(_ needle: [UInt8]) -> Bool {
        let haystack = recorded
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains {
            haystack[$0..<($0 + needle.count)].elementsEqual(needle)
        }
    }
}
