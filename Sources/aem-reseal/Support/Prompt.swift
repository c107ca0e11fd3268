import AEMCore
import Foundation
import SystemPackage

/// Questions to the user, on the controlling terminal only.
enum Prompt {
    /// Asks a yes/no question; false without a terminal.
    static func confirm(_ question: TerminalText) -> Bool {
        guard let terminal = fopen("/dev/tty", "r+") else { return false }
        defer { fclose(terminal) }
        fputs((question + " [y/N] ").rendered, terminal)
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
    static func password(_ prompt: TerminalText) -> PasswordAnswer {
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
        _ = try? FileDescriptor(rawValue: descriptor).writeAll(prompt.rendered.utf8)
        // Keys go straight into wiped memory, never into a growing array
        // that would leave copies behind.
        let buffer = SecretBytes(count: 1024)
        var length = 0
        func answer() -> PasswordAnswer {
            guard length > 0 else { return .empty }
            let password = SecretBytes(count: length)
            password.withUnsafeMutableBytes { target in
                buffer.withUnsafeBytes { target.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
            }
            return .entered(password)
        }
        var key: UInt8 = 0
        defer { key = 0 }
        let input = FileDescriptor(rawValue: descriptor)
        while true {
            let count = (try? withUnsafeMutableBytes(of: &key) { try input.read(into: $0) }) ?? 0
            guard count == 1 else { return answer() }
            switch key {
            case 0x03: return .interrupted
            case 0x04, 0x0A, 0x0D: return answer()
            case 0x7F, 0x08:
                if length > 0 {
                    length -= 1
                    buffer.withUnsafeMutableBytes { $0[length] = 0 }
                }
            default:
                if length < buffer.count {
                    buffer.withUnsafeMutableBytes { $0[length] = key }
                    length += 1
                }
            }
        }
    }
}
