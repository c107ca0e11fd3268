import AEMCore
import Foundation

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

    /// Reads a password without echo; nil without a terminal.
    static func password(_ prompt: String) -> SecretBytes? {
        let descriptor = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var original = termios()
        guard tcgetattr(descriptor, &original) == 0 else { return nil }
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        _ = tcsetattr(descriptor, TCSAFLUSH, &silent)
        defer {
            _ = tcsetattr(descriptor, TCSAFLUSH, &original)
            _ = Glibc.write(descriptor, "\n", 1)
        }
        _ = prompt.withCString { Glibc.write(descriptor, $0, strlen($0)) }
        var bytes = [UInt8]()
        var character: UInt8 = 0
        while read(descriptor, &character, 1) == 1, character != 0x0A, bytes.count < 1024 { bytes.append(character) }
        return SecretBytes(consuming: &bytes)
    }
}
