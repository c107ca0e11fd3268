/// A big-endian reader that answers nil where the bytes run out: for
/// formats read in pieces as they arrive (lzop, where nil means "wait for
/// more input") or judged as a whole (TPM 1.2 blobs). Event logs use
/// `ByteReader`, whose errors name the offset and the field.
struct BigEndianCursor {
    let bytes: [UInt8]
    private(set) var offset: Int

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Steps over `count` bytes, if there are that many.
    mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, offset + count <= bytes.count else { return false }
        offset += count
        return true
    }

    mutating func take(_ count: Int) -> [UInt8]? {
        let start = offset
        guard skip(count) else { return nil }
        return Array(bytes[start..<offset])
    }

    mutating func u8() -> UInt8? {
        guard skip(1) else { return nil }
        return bytes[offset - 1]
    }

    mutating func u16() -> UInt16? {
        guard skip(2) else { return nil }
        return UInt16(bytes[offset - 2]) << 8 | UInt16(bytes[offset - 1])
    }

    mutating func u32() -> UInt32? {
        guard skip(4) else { return nil }
        return bytes[(offset - 4)..<offset].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
