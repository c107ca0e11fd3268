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

extension TCG1LogParser: EventLogEncoding {
    static let displayName = "TCG 1.2 log"

    /// A TCG 1.2 log has no magic; a text file that is not a tboot log must
    /// not be misread as one. Its first record names PCR 0-23 (or 255) and
    /// the type fits in 32 bits, which text almost never satisfies.
    static func matches(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 32 else { return false }
        let pcr = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
        return EventLogQuirks.isValidPCRIndex(pcr)
    }

    static func decode(_ bytes: [UInt8], limits: EventLogLimits) throws(EventLogError) -> EventLogDecoder.Decoded {
        EventLogDecoder.Decoded(log: try parse(bytes, limits: limits))
    }
}
