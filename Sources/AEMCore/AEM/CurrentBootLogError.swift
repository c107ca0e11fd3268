/// Why `CurrentBootLogLocator.locate()` found no usable log of the current boot.
public enum CurrentBootLogError: Error, Sendable, CustomStringConvertible {
    /// A file given with `--event-log` or `--tboot-log` cannot be read.
    case unreadable(FileAccessError)
    /// A file given with `--event-log` or `--tboot-log` is not an event log.
    case malformed(path: String, EventLogError)
    /// Nothing was given and no place held this boot's log; `attempts`
    /// names each place tried and why it failed.
    case notFound(attempts: [String])
    /// This boot's record exists but cannot be read: never taken for none.
    case unreadableRecord(folder: String, detail: String)

    public var description: String {
        switch self {
        case let .unreadable(error): return error.description
        case let .malformed(path, error): return "\(path): \(error.description)"
        case let .unreadableRecord(folder, detail): return "this boot's record in \(folder) is unreadable: \(detail)"
        case let .notFound(attempts):
            return "no DRTM event log of the current boot could be read. Tried:\n"
                + attempts.map { "  - \($0)" }.joined(separator: "\n")
                + "\nGive one with --event-log FILE (binary TXT/TCG log) or --tboot-log FILE (txt-stat output "
                + "or a memory-log image)."
        }
    }
}
