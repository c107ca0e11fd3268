/// The TPM 1.2 "TXT Event Container": a 48-byte header, then TCG 1.2
/// records between `pcr_events_offset` and `next_event_offset`.
enum TXTContainerLogParser {
    static let signature = Array("TXT Event Container".utf8) + [0]
    static let headerSize = 48

    static func matches(_ bytes: [UInt8]) -> Bool {
        bytes.count >= signature.count && Array(bytes.prefix(signature.count)) == signature
    }

    static func parse(_ bytes: [UInt8], limits: EventLogLimits) throws(EventLogError) -> EventLog {
        var header = ByteReader(bytes)
        try header.skip(20, "the container signature")
        try header.skip(12, "the reserved header bytes")
        try header.skip(4, "the container and event versions")
        let size = Int(try header.readUInt32("the container size"))
        let eventsOffsetPosition = header.offset
        let eventsOffset = Int(try header.readUInt32("the offset of the first event"))
        let nextOffsetPosition = header.offset
        let nextOffset = Int(try header.readUInt32("the offset past the last event"))
        guard eventsOffset >= headerSize else {
            throw .invalidField(
                offset: eventsOffsetPosition, field: "pcr_events_offset", found: String(eventsOffset),
                expected: "at least \(headerSize)")
        }
        guard nextOffset >= eventsOffset, nextOffset <= max(size, headerSize) else {
            throw .invalidField(
                offset: nextOffsetPosition, field: "next_event_offset", found: String(nextOffset),
                expected: "between pcr_events_offset (\(eventsOffset)) and the container size (\(size))")
        }
        guard nextOffset <= bytes.count else {
            throw .truncated(
                offset: bytes.count, expected: "events up to next_event_offset \(nextOffset)",
                needed: nextOffset - bytes.count, available: 0)
        }
        var reader = ByteReader(bytes, offset: eventsOffset, end: nextOffset)
        var events = [MeasurementEvent]()
        while !reader.isAtEnd {
            guard events.count < limits.maximumEvents else {
                throw .limitExceeded(
                    offset: reader.offset, what: "the number of events", value: events.count + 1,
                    limit: limits.maximumEvents)
            }
            events.append(try TCG12EventRecord.parse(&reader, algorithm: .sha1, sequence: events.count, limits: limits))
        }
        return EventLog(format: .txt12, events: events, banks: [.sha1], recordsDynamicLaunch: true)
    }
}

extension TXTContainerLogParser: EventLogEncoding {
    static let displayName = "TXT event container"

    static func decode(_ bytes: [UInt8], limits: EventLogLimits) throws(EventLogError) -> EventLogDecoder.Decoded {
        EventLogDecoder.Decoded(log: try parse(bytes, limits: limits))
    }
}
