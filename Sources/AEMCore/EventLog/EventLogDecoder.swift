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

        guard let encoding = EventLogEncodings.encoding(of: bytes) else {
            let names = EventLogEncodings.all.filter {
                ObjectIdentifier($0) != ObjectIdentifier(TXTStatWithoutTbootLog.self)
            }.map { $0.displayName }
            throw .unrecognizedFormat(
                "not a " + names.dropLast().joined(separator: ", ") + " or " + (names.last ?? ""))
        }
        var decoded = try Self.decode(bytes, as: encoding, limits: limits)
        decoded.log.warnings += PayloadDigestCheck.warnings(for: decoded.log)
        decoded.log.startupLocality = EventLogReplay.startupLocality(of: decoded.log)
        return decoded
    }

    /// Decodes with one form. Generic on purpose: calling the typed-throws
    /// requirement on the existential metatype directly crashes the Swift
    /// 6.3 compiler (signal 11 while lowering to SIL); opening it here does not.
    private static func decode<Encoding: EventLogEncoding>(
        _ bytes: [UInt8], as encoding: Encoding.Type, limits: EventLogLimits
    ) throws(EventLogError) -> Decoded {
        try encoding.decode(bytes, limits: limits)
    }
}

extension EventLogDecoder.Decoded {
    init(log: EventLog) {
        self.log = log
        self.tboot = nil
    }
}
