/// Builds binary event logs byte by byte, following the layouts in the
/// project reference (section 4), independently of the parsers.
public struct LogBuilder {
    public var bytes: [UInt8] = []

    public init() {}

    public mutating func u8(_ value: UInt8) { bytes.append(value) }
    public mutating func u16(_ value: UInt16) { bytes += [UInt8(value & 0xFF), UInt8(value >> 8)] }
    public mutating func u32(_ value: UInt32) {
        bytes += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
    }
    public mutating func raw(_ value: [UInt8]) { bytes += value }
    public mutating func ascii(_ text: String) { bytes += Array(text.utf8) }

    /// `{u32 pcr; u32 type; digest; u32 size; data}`.
    public mutating func tcg12Record(pcr: UInt32, type: UInt32, digest: [UInt8], data: [UInt8] = []) {
        u32(pcr)
        u32(type)
        raw(digest)
        u32(UInt32(data.count))
        raw(data)
    }

    /// `{u32 pcr; u32 type; u32 count; {u16 alg; digest}*; u32 size; data}`.
    public mutating func tcg2Record(pcr: UInt32, type: UInt32, digests: [(UInt16, [UInt8])], data: [UInt8] = []) {
        u32(pcr)
        u32(type)
        u32(UInt32(digests.count))
        for (algorithm, digest) in digests {
            u16(algorithm)
            raw(digest)
        }
        u32(UInt32(data.count))
        raw(data)
    }

    /// The TCG 1.2-style header record carrying `Spec ID Event03`.
    public mutating func specIDHeader(algorithms: [(UInt16, UInt16)]) {
        var data = LogBuilder()
        data.ascii("Spec ID Event03")
        data.u8(0)
        data.u32(0)  // platform class
        data.u8(0)  // spec version minor
        data.u8(2)  // spec version major
        data.u8(0)  // errata
        data.u8(2)  // uintn size
        data.u32(UInt32(algorithms.count))
        for (id, size) in algorithms {
            data.u16(id)
            data.u16(size)
        }
        data.u8(0)  // vendor info size
        tcg12Record(pcr: 0, type: 3, digest: [UInt8](repeating: 0, count: 20), data: data.bytes)
    }

    /// The 48-byte "TXT Event Container" header.
    public mutating func txtContainerHeader(size: UInt32, eventsOffset: UInt32, nextOffset: UInt32) {
        ascii("TXT Event Container")
        u8(0)
        raw([UInt8](repeating: 0, count: 12))
        raw([1, 0, 1, 0])
        u32(size)
        u32(eventsOffset)
        u32(nextOffset)
    }

    /// The EV_NO_ACTION record opening a TXT TPM 2.0 legacy log.
    public mutating func txtLegacyDescriptor(digestID: UInt32, digestSize: UInt32) {
        var descriptor = LogBuilder()
        descriptor.ascii("TCG_LOG_DESCRIP")  // 15 characters and a NUL: 16 bytes
        descriptor.u8(0)
        descriptor.u32(1)
        descriptor.u32(digestID)
        descriptor.u32(digestSize)
        tcg12Record(pcr: 0, type: 3, digest: [UInt8](repeating: 0, count: 20), data: descriptor.bytes)
    }
}

/// Deterministic pseudo-random bytes for test digests.
public func testBytes(_ count: Int, seed: UInt8) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &* 97 &+ 7) }
}
