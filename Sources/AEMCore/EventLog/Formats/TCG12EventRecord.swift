/// The TCG 1.2 event record `{u32 pcr; u32 type; digest; u32 size; data}`,
/// shared by TCG 1.2 firmware logs, the TXT event container and TXT's TPM
/// 2.0 legacy logs (whose digest has the size of the log's algorithm).
enum TCG12EventRecord {
    static func parse(
        _ reader: inout ByteReader, algorithm: HashAlgorithm, sequence: Int, limits: EventLogLimits
    ) throws(EventLogError) -> MeasurementEvent {
        let start = reader.offset
        let pcr = try reader.readUInt32("the PCR index of event \(sequence)")
        let type = EventType(try reader.readUInt32("the event type of event \(sequence)"))
        guard EventLogQuirks.isValidPCRIndex(pcr, type: type) else {
            throw .invalidField(
                offset: start, field: "the PCR index of event \(sequence)", found: String(pcr),
                expected: EventLogQuirks.validPCRIndices)
        }
        let digest = try reader.readBytes(algorithm.digestSize, "the \(algorithm) digest of event \(sequence)")
        let sizeOffset = reader.offset
        let size = Int(try reader.readUInt32("the data size of event \(sequence)"))
        guard size <= limits.maximumEventDataBytes else {
            throw .limitExceeded(
                offset: sizeOffset, what: "the data size of event \(sequence)", value: size,
                limit: limits.maximumEventDataBytes)
        }
        let data = try reader.readBytes(size, "the data of event \(sequence)")
        return MeasurementEvent(
            sequence: sequence, offset: start, raw: reader.slice(from: start), pcr: pcr, type: type,
            digests: [Digest(algorithm: algorithm, bytes: digest)], data: data)
    }

    /// Reads records until the end of the reader (or zero padding).
    static func parseAll(
        _ reader: inout ByteReader, algorithm: HashAlgorithm, firstSequence: Int, limits: EventLogLimits
    ) throws(EventLogError) -> [MeasurementEvent] {
        var events = [MeasurementEvent]()
        while !reader.isAtEnd {
            if EventLogQuirks.isZeroPadding(reader) { break }
            guard events.count < limits.maximumEvents else {
                throw .limitExceeded(
                    offset: reader.offset, what: "the number of events", value: events.count + 1,
                    limit: limits.maximumEvents)
            }
            events.append(
                try parse(&reader, algorithm: algorithm, sequence: firstSequence + events.count, limits: limits))
        }
        return events
    }
}
