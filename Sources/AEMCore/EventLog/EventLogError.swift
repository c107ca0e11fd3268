/// Why an event log could not be read.
///
/// Every case names where in the input the problem is and what was
/// expected there, so that a user can compare against a hex dump.
public enum EventLogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ends in the middle of a field.
    case truncated(offset: Int, expected: String, needed: Int, available: Int)
    /// A field holds a value the format does not allow.
    case invalidField(offset: Int, field: String, found: String, expected: String)
    /// The input is none of the supported formats.
    case unrecognizedFormat(String)
    /// A size or count exceeds the safety limits.
    case limitExceeded(offset: Int, what: String, value: Int, limit: Int)
    /// A text log (tboot) lacks a part the tool needs.
    case missingSection(String)

    public var description: String {
        switch self {
        case let .truncated(offset, expected, needed, available):
            return
                "truncated event log at offset \(Self.position(offset)): expected \(expected) (\(needed) "
                + "bytes), only \(available) left"
        case let .invalidField(offset, field, found, expected):
            return "malformed event log at offset \(Self.position(offset)): \(field) is \(found), expected \(expected)"
        case let .unrecognizedFormat(detail):
            return "unrecognized event log format: \(detail)"
        case let .limitExceeded(offset, what, value, limit):
            return "event log at offset \(Self.position(offset)): \(what) is \(value), above the limit of \(limit)"
        case let .missingSection(detail):
            return detail
        }
    }

    /// Offsets are shown in hex and decimal: hex for dumps, decimal for `dd`.
    static func position(_ offset: Int) -> String {
        "0x\(String(offset, radix: 16)) (\(offset))"
    }
}
