/// The raw image of tboot's memory log at physical 0x60000 (`tboot_log_t`).
///
/// Layout: a 16-byte UUID, `u16 max_size`, `u16 curr_pos`, `u16 zip_pos[10]`,
/// `u16 zip_size[10]`, `u8 zip_count`, then the buffer from offset 61. When
/// the buffer fills, tboot compresses the text written so far into a chunk;
/// up to 10 chunks precede the plain text that runs from the end of the
/// last chunk to `curr_pos`.
enum TbootMemoryLogImage {
    /// `C0192526-6B30-4DB4-844C-A3E953B88174` in tboot's little-endian `uuid_t` layout.
    static let uuid: [UInt8] = [
        0x26, 0x25, 0x19, 0xC0, 0x30, 0x6B, 0xB4, 0x4D, 0x4C, 0x84, 0xA3, 0xE9, 0x53, 0xB8, 0x81, 0x74,
    ]
    static let bufferOffset = 61
    static let maximumChunks = 10

    static func matches(_ bytes: [UInt8]) -> Bool {
        bytes.count >= uuid.count && Array(bytes.prefix(uuid.count)) == uuid
    }

    /// Recovers the whole log text, decompressing the older chunks.
    static func text(of bytes: [UInt8]) throws(EventLogError) -> [UInt8] {
        var reader = ByteReader(bytes)
        try reader.skip(16, "the tboot log UUID")
        let maxSize = Int(try reader.readUInt16("max_size"))
        let currentPositionOffset = reader.offset
        let currentPosition = Int(try reader.readUInt16("curr_pos"))
        var zipPositions = [Int]()
        for index in 0..<maximumChunks { zipPositions.append(Int(try reader.readUInt16("zip_pos[\(index)]"))) }
        var zipSizes = [Int]()
        for index in 0..<maximumChunks { zipSizes.append(Int(try reader.readUInt16("zip_size[\(index)]"))) }
        let countOffset = reader.offset
        let zipCount = Int(try reader.readUInt8("zip_count"))

        let available = bytes.count - bufferOffset
        guard zipCount <= maximumChunks else {
            throw .invalidField(
                offset: countOffset, field: "zip_count", found: String(zipCount), expected: "0-\(maximumChunks)")
        }
        guard currentPosition <= min(maxSize, available) else {
            throw .invalidField(
                offset: currentPositionOffset, field: "curr_pos", found: String(currentPosition),
                expected: "at most max_size (\(maxSize)) and the \(available) buffer bytes present")
        }

        var text = [UInt8]()
        var plainStart = 0
        for index in 0..<zipCount {
            let start = zipPositions[index]
            let end = start + zipSizes[index]
            guard start >= plainStart, end <= currentPosition else {
                throw .invalidField(
                    offset: 20 + 2 * index, field: "compressed chunk \(index)", found: "bytes \(start)..<\(end)",
                    expected: "a range after the previous chunk and before curr_pos (\(currentPosition))")
            }
            let chunk = bytes[(bufferOffset + start)..<(bufferOffset + end)]
            text += try TbootLZ77.decompress(chunk, limit: 1 << 20, chunkOffset: bufferOffset + start)
            plainStart = end
        }
        // With fewer than 10 chunks the plain text starts at zip_pos[zip_count];
        // with all 10 used it follows the last chunk directly.
        if zipCount < maximumChunks {
            plainStart = zipPositions[zipCount]
            guard plainStart <= currentPosition else {
                throw .invalidField(
                    offset: 20 + 2 * zipCount, field: "zip_pos[\(zipCount)]", found: String(plainStart),
                    expected: "at most curr_pos (\(currentPosition))")
            }
        }
        text += bytes[(bufferOffset + plainStart)..<(bufferOffset + currentPosition)]
        // The buffer is C text: a NUL ends it.
        return text.filter { $0 != 0 }
    }
}

extension TbootMemoryLogImage: EventLogEncoding {
    static let displayName = "tboot memory-log image"

    static func decode(_ bytes: [UInt8], limits: EventLogLimits) throws(EventLogError) -> EventLogDecoder.Decoded {
        var parser = TbootTextLogParser(text: try text(of: bytes), format: .tbootMemoryLog, limits: limits)
        let tboot = try parser.parse()
        return EventLogDecoder.Decoded(log: tboot.eventLog, tboot: tboot)
    }
}
