/// A bounds-checked little-endian reader over a byte buffer.
///
/// Every read names what it expected, so that a truncated or corrupt input
/// produces an error with the offset and the field instead of a crash.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    let end: Int

    init(_ bytes: [UInt8], offset: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = min(end ?? bytes.count, bytes.count)
    }

    var remaining: Int { max(0, end - offset) }
    var isAtEnd: Bool { offset >= end }

    mutating func require(_ count: Int, _ what: String) throws(EventLogError) {
        guard count >= 0, count <= remaining else {
            throw .truncated(offset: offset, expected: what, needed: count, available: remaining)
        }
    }

    mutating func readUInt8(_ what: String) throws(EventLogError) -> UInt8 {
        try require(1, what)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readUInt16(_ what: String) throws(EventLogError) -> UInt16 {
        try require(2, what)
        defer { offset += 2 }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    mutating func readUInt32(_ what: String) throws(EventLogError) -> UInt32 {
        try require(4, what)
        defer { offset += 4 }
        return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
            | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    mutating func readBytes(_ count: Int, _ what: String) throws(EventLogError) -> [UInt8] {
        try require(count, what)
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func skip(_ count: Int, _ what: String) throws(EventLogError) {
        try require(count, what)
        offset += count
    }

    /// Bytes from `start` to the current position.
    func slice(from start: Int) -> [UInt8] { Array(bytes[start..<offset]) }

    /// Whether every byte from the current position to the end is zero.
    var restIsZero: Bool { bytes[offset..<end].allSatisfy { $0 == 0 } }
}
