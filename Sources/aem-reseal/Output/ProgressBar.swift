import AEMCycle
import Foundation

/// A one-line progress bar on a terminal; silent when output is not a
/// terminal (package hooks, pipes, tests) or the work is small.
final class ProgressBar: @unchecked Sendable {
    let enabled: Bool
    private let terminal: Terminal
    private let minimumTotal: Int
    private let lock = NSLock()
    private var lastDrawn = Date.distantPast
    private var drawn = false

    init(terminal: Terminal, minimumTotal: Int) {
        self.terminal = terminal
        self.minimumTotal = minimumTotal
        enabled = terminal.isTerminal && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    func update(_ label: String, done: Int, total: Int) {
        guard enabled, total >= minimumTotal else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDrawn) > 0.1 || done >= total else { return }
        lastDrawn = now
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        let name = label.count > 40 ? "…" + label.suffix(39) : label
        terminal.write("\r\(name) [\(bar)] \(Int(fraction * 100))%\u{1B}[K")
        drawn = true
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { terminal.write("\r\u{1B}[K") }
        drawn = false
    }

    /// The bar for hashing the big files of a prediction, on standard error.
    static func hashing() -> ProgressBar { ProgressBar(terminal: .standardError, minimumTotal: 16 << 20) }

    /// What the prediction calls as it hashes (path, bytes done, total);
    /// nil when no bar can be drawn.
    var reporter: (@Sendable (String, Int, Int) -> Void)? {
        guard enabled else { return nil }
        return { path, done, total in self.update("hashing \(path)", done: done, total: total) }
    }
}
