/// TCG PC Client crypto-agile logs: a TCG 1.2-style header record holding
/// the `Spec ID Event03` structure, then TCG_PCR_EVENT2 records, each with
/// a list of (algorithm, digest) pairs. The same format serves UEFI
/// firmware logs and TXT's TPM 2.0 "TCG" DRTM log.
enum TCG2LogParser {
    static let specIDSignature = Array("Spec ID Event03".utf8) + [0]

    /// Whether the first record is a Spec ID Event03 header.
    static func matches(_ bytes: [UInt8]) -> Bool {
        // pcr(4) type(4) digest(20) size(4) then the signature.
        let start = 32
        guard bytes.count >= start + specIDSignature.count else { return false }
        var reader = ByteReader(bytes)
        // probing the header: not this format
        guard (try? reader.readUInt32("")) == 0, (try? reader.readUInt32("")) == EventType.noAction.rawValue else {
            return false
        }
        return Array(bytes[start..<(start + specIDSignature.count)]) == specIDSignature
    }

    static func parse(_ bytes: [UInt8], limits: EventLogLimits) throws(EventLogError) -> EventLog {
        var reader = ByteReader(bytes)
        let header = try TCG12EventRecord.parse(&reader, algorithm: .sha1, sequence: 0, limits: limits)
        let sizes = try algorithmSizes(in: bytes, header: header)
        let banks = sizes.compactMap { HashAlgorithm(tpmAlgorithmID: $0.key) }.sorted()

        var events = [header]
        var warnings = [EventLogWarning]()
        var unknownReported = Set<UInt16>()
        while !reader.isAtEnd {
            if EventLogQuirks.isZeroPadding(reader) { break }
            guard events.count <= limits.maximumEvents else {
                throw .limitExceeded(
                    offset: reader.offset, what: "the number of events", value: events.count,
                    limit: limits.maximumEvents)
            }
            let sequence = events.count
            let start = reader.offset
            let pcr = try reader.readUInt32("the PCR index of event \(sequence)")
            let type = EventType(try reader.readUInt32("the event type of event \(sequence)"))
            guard EventLogQuirks.isValidPCRIndex(pcr, type: type) else {
                throw .invalidField(
                    offset: start, field: "the PCR index of event \(sequence)", found: String(pcr),
                    expected: EventLogQuirks.validPCRIndices)
            }
            let countOffset = reader.offset
            let count = Int(try reader.readUInt32("the digest count of event \(sequence)"))
            guard count <= min(sizes.count, limits.maximumDigestsPerEvent) else {
                throw .invalidField(
                    offset: countOffset, field: "the digest count of event \(sequence)", found: String(count),
                    expected: "at most \(sizes.count), the number of algorithms in the Spec ID header")
            }
            var digests = [Digest]()
            for _ in 0..<count {
                let algorithmOffset = reader.offset
                let algorithmID = try reader.readUInt16("a digest algorithm of event \(sequence)")
                guard let size = sizes[algorithmID] else {
                    throw .invalidField(
                        offset: algorithmOffset, field: "a digest algorithm of event \(sequence)",
                        found: "0x" + String(algorithmID, radix: 16),
                        expected: "one of the algorithms in the Spec ID header")
                }
                let digest = try reader.readBytes(size, "a digest of event \(sequence)")
                if let algorithm = HashAlgorithm(tpmAlgorithmID: algorithmID) {
                    digests.append(Digest(algorithm: algorithm, bytes: digest))
                } else if unknownReported.insert(algorithmID).inserted {
                    warnings.append(
                        EventLogWarning(
                            sequence: sequence,
                            message:
                                "bank 0x\(String(algorithmID, radix: 16)) is not supported; its digests are skipped"))
                }
            }
            let sizeOffset = reader.offset
            let size = Int(try reader.readUInt32("the data size of event \(sequence)"))
            guard size <= limits.maximumEventDataBytes else {
                throw .limitExceeded(
                    offset: sizeOffset, what: "the data size of event \(sequence)", value: size,
                    limit: limits.maximumEventDataBytes)
            }
            let data = try reader.readBytes(size, "the data of event \(sequence)")
            events.append(
                MeasurementEvent(
                    sequence: sequence, offset: start, raw: reader.slice(from: start), pcr: pcr, type: type,
                    digests: digests, data: data))
        }
        let launch = events.contains { $0.type == .txtHashStart || ($0.type.isDRTM && $0.affectsPCR) }
        return EventLog(format: .tcg2, events: events, banks: banks, recordsDynamicLaunch: launch, warnings: warnings)
    }

    /// Reads the algorithm table of the Spec ID Event03 structure, which is
    /// the data of the header record (it starts 32 bytes into the record).
    private static func algorithmSizes(in bytes: [UInt8], header: MeasurementEvent) throws(EventLogError) -> [UInt16:
        Int]
    {
        let dataStart = header.offset + 32
        var reader = ByteReader(bytes, offset: dataStart, end: dataStart + header.data.count)
        try reader.skip(16, "the Spec ID signature")
        try reader.skip(4, "the platform class")
        try reader.skip(4, "the spec version and uintn size")
        let countOffset = reader.offset
        let count = Int(try reader.readUInt32("the number of algorithms in the Spec ID header"))
        guard (1...16).contains(count) else {
            throw .invalidField(
                offset: countOffset, field: "the number of algorithms in the Spec ID header", found: String(count),
                expected: "1-16")
        }
        var sizes = [UInt16: Int]()
        for _ in 0..<count {
            let entryOffset = reader.offset
            let id = try reader.readUInt16("an algorithm ID in the Spec ID header")
            let size = Int(try reader.readUInt16("a digest size in the Spec ID header"))
            if let known = HashAlgorithm(tpmAlgorithmID: id), known.digestSize != size {
                throw .invalidField(
                    offset: entryOffset, field: "the digest size of \(known) in the Spec ID header",
                    found: String(size), expected: String(known.digestSize))
            }
            guard size > 0, size <= 128 else {
                throw .invalidField(
                    offset: entryOffset, field: "a digest size in the Spec ID header", found: String(size),
                    expected: "1-128")
            }
            sizes[id] = size
        }
        return sizes
    }
}

extension TCG2LogParser: EventLogEncoding {
    static let displayName = "TCG crypto-agile log"

    static func decode(_ bytes: [UInt8], limits: EventLogLimits) throws(EventLogError) -> EventLogDecoder.Decoded {
        EventLogDecoder.Decoded(log: try parse(bytes, limits: limits))
    }
}
