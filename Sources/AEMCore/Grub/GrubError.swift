/// Why a GRUB configuration could not be evaluated or an entry booted.
/// Thrown by `GrubConfiguration.load(_:)`, `evaluate(_:settings:)` and
/// `boot(_:)`; every case that points into a file names it and the line.
public enum GrubError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The script does not parse: file, line and what was expected.
    case syntax(file: String, line: Int, message: String)
    /// Evaluating it would exceed a safety limit (nesting, size, steps).
    case limitExceeded(file: String, line: Int, what: String, limit: Int)
    /// The configuration file cannot be read.
    case unreadable(FileAccessError)
    /// The configuration file is not UTF-8 text or holds a NUL byte at
    /// `offset`: its words cannot be read as GRUB reads them.
    case invalidEncoding(file: String, offset: Int)
    /// A `multiboot`, `module` or `slaunch_module` command names no file.
    case commandWithoutFile(file: String, line: Int, command: String)
    /// A `module` command comes before any `multiboot` kernel.
    case moduleBeforeKernel(file: String, line: Int, command: String)
    /// The entry titled `title` is not a tboot or TrenchBoot entry: it runs
    /// `command`, which such an entry never does, or (nil) loads no
    /// multiboot kernel.
    case notAnAEMEntry(title: String, command: String?)

    public var description: String {
        switch self {
        case let .syntax(file, line, message): return "\(file):\(line): \(message)"
        case let .limitExceeded(file, line, what, limit):
            return "\(file):\(line): \(what) exceeds the limit of \(limit)"
        case let .unreadable(error): return "cannot read the GRUB configuration: \(error.description)"
        case let .invalidEncoding(file, offset):
            return "\(file): not UTF-8 text (or a NUL byte) at byte \(offset); GRUB's reading of it cannot be predicted"
        case let .commandWithoutFile(file, line, command): return "\(file):\(line): \(command) without a file"
        case let .moduleBeforeKernel(file, line, command):
            return "\(file):\(line): \(command) before any multiboot kernel"
        case let .notAnAEMEntry(title, command?):
            return "the entry \"\(title)\" uses \"\(command)\": it is not a tboot or TrenchBoot (AEM) entry"
        case let .notAnAEMEntry(title, nil):
            return "the entry \"\(title)\" loads no multiboot kernel: it is not a tboot or TrenchBoot (AEM) entry"
        }
    }
}
