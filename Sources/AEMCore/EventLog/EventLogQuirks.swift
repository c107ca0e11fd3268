/// Real-world log peculiarities, gathered in one place so that the parsers
/// and the replay stay plain readings of the specifications.
public enum EventLogQuirks {
    /// TXT logs its PCR-mapping event with PCR index 255: a marker for
    /// readers, never extended into any PCR.
    public static let txtUnmeasuredPCRIndex: UInt32 = 255

    /// Some firmware logs informational EV_NO_ACTION events with PCR index
    /// 0xFFFFFFFF (go-attestation's `option_rom_eventlog`, from a real
    /// machine). EV_NO_ACTION is never extended, so the index means nothing;
    /// other parsers accept it and so does this one.
    public static let noActionAnyPCRIndex: UInt32 = 0xFFFF_FFFF

    /// PCR indices a record may name: 0-23, 255 for the TXT marker, and
    /// 0xFFFFFFFF on EV_NO_ACTION events.
    static func isValidPCRIndex(_ pcr: UInt32, type: EventType? = nil) -> Bool {
        pcr < 24 || pcr == txtUnmeasuredPCRIndex || (pcr == noActionAnyPCRIndex && type == .noAction)
    }

    /// What `isValidPCRIndex` accepts, for error messages.
    static let validPCRIndices = "0-23, 255, or 4294967295 on EV_NO_ACTION"

    /// The TXT heap keeps DRTM logs in fixed-size buffers and a log copied
    /// out of it carries the unused, zeroed tail. A record boundary followed
    /// only by zeros is the end of the log, not a run of empty events.
    static func isZeroPadding(_ reader: ByteReader) -> Bool {
        !reader.isAtEnd && reader.restIsZero
    }

    /// Firmware on a platform whose startup ran at locality 3 (or 4 with an
    /// H-CRTM) starts PCR 0 from `00..03` (`00..04`), announced by an
    /// EV_NO_ACTION "StartupLocality" event in PCR 0.
    static func startupLocality(of event: MeasurementEvent) -> UInt8? {
        let signature = Array("StartupLocality".utf8) + [0]
        guard event.type == .noAction, event.pcr == 0, event.data.count >= signature.count + 1,
            Array(event.data.prefix(signature.count)) == signature
        else { return nil }
        return event.data[signature.count]
    }

    /// An H-CRTM event in PCR 0 means the platform measured its CRTM from
    /// locality 4 before the firmware log began: PCR 0 starts at `00..04`
    /// (TPM 2.0 Library Part 1, 34.3) and any StartupLocality event is moot.
    static let hcrtmLocality: UInt8 = 4

    /// TXT's TPM 2.0 "legacy" logs open every non-SHA-1 log with a TPM
    /// 1.2-style EV_NO_ACTION record (20-byte zero digest) whose data is a
    /// 28-byte TCG_LOG_DESCRIPTOR naming the log's algorithm. tboot's own
    /// dump code skips it even for SHA-1, so its presence is detected here
    /// rather than assumed. Returns the algorithm it names.
    static func txtLegacyLogDescriptor(in bytes: [UInt8]) -> HashAlgorithm? {
        // pcr(4) type(4) digest(20) size(4) descriptor(28)
        guard bytes.count >= 60 else { return nil }
        var reader = ByteReader(bytes)
        // probing a header: no match
        guard (try? reader.readUInt32("")) == 0, (try? reader.readUInt32("")) == EventType.noAction.rawValue,
            (try? reader.readBytes(20, ""))?.allSatisfy({ $0 == 0 }) == true,  // (probing)
            (try? reader.readUInt32("")) == 28  // (probing)
        else { return nil }
        guard (try? reader.skip(20, "")) != nil,  // signature[16], revision
            let digestID = try? reader.readUInt32(""), let digestSize = try? reader.readUInt32(""),  // (probing)
            let algorithm = HashAlgorithm(txtDigestID: digestID), Int(digestSize) == algorithm.digestSize
        else { return nil }
        return algorithm
    }
}
