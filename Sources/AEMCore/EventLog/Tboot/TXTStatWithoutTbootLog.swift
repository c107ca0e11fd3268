/// `txt-stat` output with the TXT registers but no tboot log, as after a
/// TrenchBoot launch or a launch that failed: recognized so that the user
/// is told why it holds no DRTM events, rather than "unrecognized".
enum TXTStatWithoutTbootLog: EventLogEncoding {
    static let displayName = "txt-stat output"

    static func matches(_ bytes: [UInt8]) -> Bool { TbootTextLogParser.isTXTStatWithoutTbootLog(bytes) }

    static func decode(_ bytes: [UInt8], limits: EventLogLimits) throws(EventLogError) -> EventLogDecoder.Decoded {
        throw .missingSection(
            "this txt-stat output shows the TXT registers but no tboot log: tboot did not launch this boot"
                + " (a TrenchBoot launch or a failed launch leaves none), so it holds no DRTM events")
    }
}
