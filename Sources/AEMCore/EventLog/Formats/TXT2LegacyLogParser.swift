/// TXT's TPM 2.0 legacy log: one log per bank, each a list of TCG 1.2
/// style records with that bank's digest size, opened (for non-SHA-1
/// banks) by an EV_NO_ACTION record holding a TCG_LOG_DESCRIPTOR.
enum TXT2LegacyLogParser {
    static func matches(_ bytes: [UInt8]) -> Bool {
        EventLogQuirks.txtLegacyLogDescriptor(in: bytes) != nil
    }

    static func parse(_ bytes: [UInt8], limits: EventLogLimits) throws(EventLogError) -> EventLog {
        guard let algorithm = EventLogQuirks.txtLegacyLogDescriptor(in: bytes) else {
            throw .unrecognizedFormat("no TCG_LOG_DESCRIPTOR record at the start of the log")
        }
        var reader = ByteReader(bytes)
        // The descriptor record itself always carries a 20-byte (SHA-1 sized) zero digest.
        let header = try TCG12EventRecord.parse(&reader, algorithm: .sha1, sequence: 0, limits: limits)
        let events = try TCG12EventRecord.parseAll(&reader, algorithm: algorithm, firstSequence: 1, limits: limits)
        return EventLog(format: .txt2Legacy, events: [header] + events, banks: [algorithm], recordsDynamicLaunch: true)
    }
}

extension TXT2LegacyLogParser: EventLogEncoding {
    static let displayName = "TXT legacy log"

    static func decode(_ bytes: [UInt8], limits: EventLogLimits) throws(EventLogError) -> EventLogDecoder.Decoded {
        EventLogDecoder.Decoded(log: try parse(bytes, limits: limits))
    }
}
