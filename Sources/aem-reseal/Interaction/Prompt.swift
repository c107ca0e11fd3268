import AEMCore
import AEMCycle
import Foundation
import SystemPackage

/// Questions to the user, on the controlling terminal only.
enum Prompt {
    /// Asks a yes/no question; false without a terminal.
    static func confirm(_ question: TerminalText) -> ConfirmAnswer {
        // no terminal: the caller is told (.noTerminal)
        guard let terminal = try? FileDescriptor.open("/dev/tty", .readWrite, options: [.closeOnExec]) else {
            return .noTerminal
        }
        let answer: String? = try? terminal.closeAfter {  // a read that fails is no answer: nothing is done
            _ = try terminal.writeAll((question + " [y/N] ").rendered.utf8)
            // One line, at most 64 bytes: the answer is a word.
            var line = [UInt8]()
            var byte: UInt8 = 0
            while line.count < 64, try withUnsafeMutableBytes(of: &byte, { try terminal.read(into: $0) }) == 1,
                byte != 0x0A
            {
                line.append(byte)
            }
            return String(decoding: line, as: UTF8.self)
        }
        let word = answer?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return word == "y" || word == "yes" ? .yes : .no
    }

    /// Reads a password without echo. The terminal is switched to reading
    /// key by key with signals off, so Ctrl-C arrives as a key and the
    /// original mode (echo included) is always restored before returning.
    static func password(_ prompt: TerminalText) -> PasswordAnswer {
        // no terminal: the caller is told (.noTerminal)
        guard let terminal = try? FileDescriptor.open("/dev/tty", .readWrite, options: [.closeOnExec]) else {
            return .noTerminal
        }
        defer { try? terminal.close() }  // closing the terminal after use
        let descriptor = terminal.rawValue
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
            _ = try? terminal.writeAll("\n".utf8)  // echo to the terminal only
        }
        _ = try? terminal.writeAll(prompt.rendered.utf8)  // the prompt itself; a failed read follows
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
        while true {
            // a failed read ends the answer, as Ctrl-D does
            let count = (try? withUnsafeMutableBytes(of: &key) { try terminal.read(into: $0) }) ?? 0
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
