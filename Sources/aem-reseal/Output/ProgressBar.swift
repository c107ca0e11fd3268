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

    /// Runs `body` with a callback that draws the hashing of big files on
    /// standard error (nil when no bar can be drawn), and clears the bar after.
    static func hashing<Value>(
        _ body: ((@Sendable (String, Int, Int) -> Void)?) throws(CycleError) -> Value
    ) throws(CycleError) -> Value {
        let bar = ProgressBar(terminal: .standardError, minimumTotal: 16 << 20)
        defer { bar.finish() }
        guard bar.enabled else { return try body(nil) }
        return try body { path, done, total in bar.update("hashing \(path)", done: done, total: total) }
    }
}
