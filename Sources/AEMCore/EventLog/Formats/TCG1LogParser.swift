/// TCG 1.2 SHA-1 logs: the firmware log of a TPM 1.2 machine, and a TXT
/// TPM 2.0 legacy SHA-1 log, which has the same records and no header.
enum TCG1LogParser {
    static func parse(_ bytes: [UInt8], limits: EventLogLimits) throws(EventLogError) -> EventLog {
        var reader = ByteReader(bytes)
        let events = try TCG12EventRecord.parseAll(&reader, algorithm: .sha1, firstSequence: 0, limits: limits)
        guard !events.isEmpty else { throw .unrecognizedFormat("the input holds no events") }
        let drtm = events.contains { $0.type.isDRTM && $0.affectsPCR }
        return EventLog(format: drtm ? .txt2Legacy : .tcg1, events: events, banks: [.sha1], recordsDynamicLaunch: drtm)
    }
}
