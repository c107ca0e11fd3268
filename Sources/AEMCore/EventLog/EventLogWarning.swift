/// Something odd in a log that does not stop it from being replayed,
/// such as an event whose digest does not match its own payload.
public struct EventLogWarning: Sendable, Equatable, CustomStringConvertible {
    /// The event concerned, when there is one.
    public var sequence: Int?
    public var message: String

    public init(sequence: Int?, message: String) {
        self.sequence = sequence
        self.message = message
    }

    public var description: String {
        if let sequence { return "event \(sequence): \(message)" }
        return message
    }
}
