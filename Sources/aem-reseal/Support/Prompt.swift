import AEMCore
import Foundation
import SystemPackage

/// Questions to the user, on the controlling terminal only.
enum Prompt {
    /// Asks a yes/no question; false without a terminal.
    static func confirm(_ question: String) -> Bool {
        guard let terminal = fopen("/dev/tty", "r+") else { return false }
        defer { fclose(terminal) }
        fputs(question + " [y/N] ", terminal)
        fflush(terminal)
        var buffer = [CChar](repeating: 0, count: 64)
        guard fgets(&buffer, Int32(buffer.count), terminal) != nil else { return false }
        let answer = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return answer == "y" || answer == "yes"
    }

    /// What a password prompt gave.
    enum PasswordAnswer {
        case entered(SecretBytes)
        /// Enter on an empty line, or Ctrl-D.
        case empty
        /// Ctrl-C.
        case interrupted
        /// No controlling terminal.
        case noTerminal
    }

    /// Reads a password without echo. The terminal is switched to reading
    /// key by key with signals off, so Ctrl-C arrives as a key and the
    /// original mode (echo included) is always restored before returning.
    static func password(_ prompt: String) -> PasswordAnswer {
        let descriptor = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return .noTerminal }
        defer { close(descriptor) }
        var original = termios()
        guard tcgetattr(descriptor, &original) == 0 else { return .noTerminal }
        var raw = original
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG)
        withUnsafeMutableBytes(of: &raw.c_cc) { characters in
            characters[Int(VMIN)] = 1
            characters[Int(VTIME)] = 0
        }
        _ = tcsetattr(descriptor, TCSAFLUSH, &raw)
        defer {
            _ = tcsetattr(descriptor, TCSAFLUSH, &original)
            _ = try? FileDescriptor(rawValue: descriptor).writeAll("\n".utf8)
        }
        _ = try? FileDescriptor(rawValue: descriptor).writeAll(prompt.utf8)
        var bytes = [UInt8]()
        defer { bytes.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) } }
        var key: UInt8 = 0
        let input = FileDescriptor(rawValue: descriptor)
        while true {
            let count = (try? withUnsafeMutableBytes(of: &key) { try input.read(into: $0) }) ?? 0
            guard count == 1 else { return bytes.isEmpty ? .empty : .entered(SecretBytes(consuming: &bytes)) }
            switch key {
            case 0x03: return .interrupted
            case 0x04 where bytes.isEmpty: return .empty
            case 0x04, 0x0A, 0x0D: return bytes.isEmpty ? .empty : .entered(SecretBytes(consuming: &bytes))
            case 0x7F, 0x08:
                if !bytes.isEmpty {
                    bytes[bytes.count - 1] = 0
                    bytes.removeLast()
                }
            default: if bytes.count < 1024 { bytes.append(key) }
            }
        }
    }
}
