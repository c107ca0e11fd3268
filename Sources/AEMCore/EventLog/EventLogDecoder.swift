/// Reads an event log of any supported format, detecting which it is.
public enum EventLogDecoder {
    /// The result of decoding: the event log, and for tboot's memory log
    /// also what tboot printed about each module.
    public struct Decoded: Sendable {
        public var log: EventLog
        public var tboot: TbootLog?
    }

    /// Detects the format and parses. Throws `EventLogError` with the offset
    /// and the expectation for malformed input.
    public static func decode(_ bytes: [UInt8], limits: EventLogLimits = .standard) throws(EventLogError) -> Decoded {
        guard bytes.count <= limits.maximumLogBytes else {
            throw .limitExceeded(offset: 0, what: "the log size", value: bytes.count, limit: limits.maximumLogBytes)
        }
        guard !bytes.isEmpty else { throw .unrecognizedFormat("the input is empty") }

        var decoded: Decoded
        if TXTContainerLogParser.matches(bytes) {
            decoded = Decoded(log: try TXTContainerLogParser.parse(bytes, limits: limits))
        } else if TbootMemoryLogImage.matches(bytes) {
            let text = try TbootMemoryLogImage.text(of: bytes)
            var parser = TbootTextLogParser(text: text, format: .tbootMemoryLog, limits: limits)
            let tboot = try parser.parse()
            decoded = Decoded(log: tboot.eventLog, tboot: tboot)
        } else if TCG2LogParser.matches(bytes) {
            decoded = Decoded(log: try TCG2LogParser.parse(bytes, limits: limits))
        } else if TXT2LegacyLogParser.matches(bytes) {
            decoded = Decoded(log: try TXT2LegacyLogParser.parse(bytes, limits: limits))
        } else if TbootTextLogParser.matches(bytes) {
            var parser = TbootTextLogParser(text: bytes, format: .tbootText, limits: limits)
            let tboot = try parser.parse()
            decoded = Decoded(log: tboot.eventLog, tboot: tboot)
        } else if looksBinary(bytes) {
            decoded = Decoded(log: try TCG1LogParser.parse(bytes, limits: limits))
        } else if TbootTextLogParser.isTXTStatWithoutTbootLog(bytes) {
            throw .missingSection(
                "this txt-stat output shows the TXT registers but no tboot log: tboot did not launch this boot"
                    + " (a TrenchBoot launch or a failed launch leaves none), so it holds no DRTM events")
        } else {
            throw .unrecognizedFormat(
                "not a TCG crypto-agile log, TCG 1.2 log, TXT event container, TXT legacy log, tboot memory-log "
                    + "image or tboot log text"
            )
        }
        decoded.log.warnings += PayloadDigestCheck.warnings(for: decoded.log)
        decoded.log.startupLocality = EventLogReplay.startupLocality(of: decoded.log)
        return decoded
    }

    /// A TCG 1.2 log has no magic; a text file that is not a tboot log must
    /// not be misread as one. Its first record names PCR 0-23 (or 255) and
    /// the type fits in 32 bits, which text almost never satisfies.
    private static func looksBinary(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 32 else { return false }
        let pcr = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
        return EventLogQuirks.isValidPCRIndex(pcr)
    }
}

extension EventLogDecoder.Decoded {
    init(log: EventLog) {
        self.log = log
        self.tboot = nil
    }
}
