/// Why a GRUB configuration could not be evaluated or a boot entry chosen.
public enum GrubError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The script does not parse: file, line and what was expected.
    case syntax(file: String, line: Int, message: String)
    /// Evaluating it would exceed a safety limit (nesting, size, steps).
    case limitExceeded(file: String, line: Int, what: String, limit: Int)
    /// No entry matches what the user or GRUB's `default` asked for.
    case noSuchEntry(String)
    /// The chosen entry does not boot through tboot (not an AEM entry).
    case notAnAEMEntry(String)
    /// The entry does something the tool cannot predict.
    case unpredictable(String)

    public var description: String {
        switch self {
        case let .syntax(file, line, message): return "\(file):\(line): \(message)"
        case let .limitExceeded(file, line, what, limit): return "\(file):\(line): \(what) exceeds the limit of \(limit)"
        case let .noSuchEntry(detail), let .notAnAEMEntry(detail), let .unpredictable(detail): return detail
        }
    }
}
