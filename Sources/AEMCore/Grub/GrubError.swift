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
    /// A `test` operator this evaluator does not follow (`-nt`, `-pgt`, ...):
    /// GRUB's choice there cannot be predicted.
    case unsupportedTestOperator(file: String, line: Int, operator: String)
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
        case let .unsupportedTestOperator(file, line, name):
            return "\(file):\(line): test \(name) is not followed by this tool; GRUB's choice here cannot be predicted"
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
