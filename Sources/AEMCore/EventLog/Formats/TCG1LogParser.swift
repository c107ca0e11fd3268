/// TCG 1.2 SHA-1 logs: the firmware log of a TPM 1.2 machine, and a TXT
/// TPM 2.0 legacy SHA-1 log, which has the same records and no header. A
/// DRTM log that opens with a "Spec ID Event00" header is a TCG 1.2 log
/// (TrenchBoot's SKL on AMD with a TPM 1.2), not a TXT one.
enum TCG1LogParser {
    static func parse(_ bytes: [UInt8], limits: EventLogLimits) throws(EventLogError) -> EventLog {
        var reader = ByteReader(bytes)
        let events = try TCG12EventRecord.parseAll(&reader, algorithm: .sha1, firstSequence: 0, limits: limits)
        guard !events.isEmpty else { throw .unrecognizedFormat("the input holds no events") }
        let drtm = events.contains { $0.type.isDRTM && $0.affectsPCR }
        let specID = events[0].type == .noAction && events[0].data.starts(with: Array("Spec ID Event00".utf8))
        return EventLog(
            format: drtm && !specID ? .txt2Legacy : .tcg1, events: events, banks: [.sha1], recordsDynamicLaunch: drtm)
    }
}
