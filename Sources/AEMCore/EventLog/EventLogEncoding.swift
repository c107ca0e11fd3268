/// One form an event log arrives in (a TCG log, a TXT container, tboot's
/// memory image or text): how it is recognized from its first bytes and
/// decoded. `EventLogEncodings.all` lists them in the order they are tried;
/// a new form is one more conforming type and one more entry there.
protocol EventLogEncoding: SendableMetatype {
    /// The form in words, for the error that says none matched.
    static var displayName: String { get }
    /// Whether `bytes` are in this form: a cheap look at the head, never a parse.
    static func matches(_ bytes: [UInt8]) -> Bool
    /// Decodes `bytes`, which `matches` accepted.
    static func decode(_ bytes: [UInt8], limits: EventLogLimits) throws(EventLogError) -> EventLogDecoder.Decoded
}

/// The known event-log forms, in the order they are tried.
enum EventLogEncodings {
    /// Forms with a magic first (their heads cannot be mistaken for one
    /// another), then text, then the TCG 1.2 log, which has no magic and
    /// is recognized by its first record's shape, then the txt-stat output
    /// that holds no log at all, to say so rather than "unrecognized".
    static let all: [any EventLogEncoding.Type] = [
        TXTContainerLogParser.self, TbootMemoryLogImage.self, TCG2LogParser.self, TXT2LegacyLogParser.self,
        TbootTextLogParser.self, TCG1LogParser.self, TXTStatWithoutTbootLog.self,
    ]

    /// The first form `bytes` match, if any.
    static func encoding(of bytes: [UInt8]) -> (any EventLogEncoding.Type)? {
        all.first { $0.matches(bytes) }
    }
}
