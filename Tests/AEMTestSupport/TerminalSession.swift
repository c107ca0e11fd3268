import Foundation

/// Runs a program on a real pseudo-terminal (its controlling terminal, as
/// a user's shell would give it), waits for `prompt`, types `keys`, and
/// reports the terminal's echo flag while the prompt waited and after the
/// program exited. Python's `pty` drives it.
public enum TerminalSession {
    public struct Outcome: Sendable {
        public var status: Int32
        public var output: String
        public var echoAtPrompt: Bool
        public var echoAfterExit: Bool
    }

    public static func run(_ arguments: [String], prompt: String, keys: [UInt8], environment: [String: String] = [:])
        throws -> Outcome
    {
        let script = """
            import json, os, pty, select, sys, termios, time
            prompt, keys, argv = sys.argv[1].encode(), bytes.fromhex(sys.argv[2]), sys.argv[3:]
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(argv[0], argv)
            def read_until(done, seconds):
                data, deadline = b"", time.time() + seconds
                while not done(data) and time.time() < deadline:
                    if select.select([fd], [], [], 0.5)[0]:
                        try:
                            chunk = os.read(fd, 4096)
                        except OSError:
                            break
                        if not chunk:
                            break
                        data += chunk
                return data
            out = read_until(lambda d: prompt in d, 120)
            echo_at_prompt = bool(termios.tcgetattr(fd)[3] & termios.ECHO)
            os.write(fd, keys)
            out += read_until(lambda d: False, 60)
            _, status = os.waitpid(pid, 0)
            echo_after = bool(termios.tcgetattr(fd)[3] & termios.ECHO)
            print(json.dumps({"status": os.waitstatus_to_exitcode(status), "output": out.decode("utf-8", "replace"),
                              "echoAtPrompt": echo_at_prompt, "echoAfterExit": echo_after}))
            """
        let hex = keys.map { String(format: "%02x", $0) }.joined()
        let result = try Command.run("python3", ["-c", script, prompt, hex] + arguments, environment: environment)
        guard result.status == 0,
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        else {
            throw Command.Failure(description: "pty driver failed: \(result.stderr)")
        }
        return Outcome(
            status: Int32(object["status"] as? Int ?? -1), output: object["output"] as? String ?? "",
            echoAtPrompt: object["echoAtPrompt"] as? Bool ?? false,
            echoAfterExit: object["echoAfterExit"] as? Bool ?? false)
    }
}
