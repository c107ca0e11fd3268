import Foundation
import SystemPackage

/// Writes to standard output and error, with colour only on a terminal.
/// It takes only `TerminalText`, whose untrusted parts are escaped.
struct Terminal: Sendable {
    let descriptor: Int32

    static let standardOutput = Terminal(descriptor: STDOUT_FILENO)
    static let standardError = Terminal(descriptor: STDERR_FILENO)

    var isTerminal: Bool { isatty(descriptor) == 1 }

    /// Writes all of `text` (retrying on EINTR); a closed stream is ignored.
    func write(_ text: TerminalText) {
        // a terminal that cannot be written to has no one to tell
        _ = try? FileDescriptor(rawValue: descriptor).writeAll(text.rendered.utf8)
    }
}

/// Text styling that degrades to plain text off a terminal or with `--no-color`.
struct Style: Sendable {
    let enabled: Bool

    init(terminal: Terminal = .standardOutput, noColor: Bool = false) {
        let noColorVariable = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        enabled = !noColor && terminal.isTerminal && !noColorVariable
    }

    func bold(_ text: TerminalText) -> TerminalText { wrap(text, "1") }
    func red(_ text: TerminalText) -> TerminalText { wrap(text, "31") }
    func green(_ text: TerminalText) -> TerminalText { wrap(text, "32") }
    func yellow(_ text: TerminalText) -> TerminalText { wrap(text, "33") }
}
