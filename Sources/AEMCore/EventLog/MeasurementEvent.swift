/// One record of an event log.
///
/// Besides the parsed fields it keeps where it came from (`offset`) and its
/// bytes as they stood in the input (`raw`), so that later code can show the
/// evidence for a mismatch or substitute the record in a predicted log.
public struct MeasurementEvent: Sendable, Equatable {
    /// Position in the log, from 0 (header records count).
    public var sequence: Int
    /// Byte offset of the record in the input (for text logs, of its first line).
    public var offset: Int
    /// The record as it stood in the input.
    public var raw: [UInt8]
    public var pcr: UInt32
    public var type: EventType
    /// Digests in log order, one per bank the event extends.
    public var digests: [Digest]
    public var data: [UInt8]

    public init(
        sequence: Int, offset: Int, raw: [UInt8], pcr: UInt32, type: EventType, digests: [Digest], data: [UInt8]
    ) {
        self.sequence = sequence
        self.offset = offset
        self.raw = raw
        self.pcr = pcr
        self.type = type
        self.digests = digests
        self.data = data
    }

    /// The digest for one bank, nil when the event does not extend that bank.
    public func digest(_ bank: HashAlgorithm) -> Digest? {
        digests.first { $0.algorithm == bank }
    }

    /// The banks this event carries a digest for.
    public var banks: [HashAlgorithm] { digests.map(\.algorithm) }

    /// Whether replay extends (or, for HASH_START, sets) a PCR with this event.
    public var affectsPCR: Bool {
        type != .noAction && pcr != EventLogQuirks.txtUnmeasuredPCRIndex
    }
}
