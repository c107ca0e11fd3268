/// Decoder for the LZ77 variant tboot uses to squeeze its memory log
/// (Marcus Geelnard's public-domain "lz.c", as tboot and txt-stat ship it).
///
/// Stream layout: the first byte is a marker. Any other byte is a literal.
/// The marker followed by 0 is a literal marker byte; the marker followed by
/// two variable-length numbers (7 bits per byte, most significant group
/// first, high bit set on all but the last byte) copies `length` bytes from
/// `offset` bytes back in the output.
enum TbootLZ77 {
    static func decompress(_ input: ArraySlice<UInt8>, limit: Int, chunkOffset: Int) throws(EventLogError) -> [UInt8] {
        guard let marker = input.first else { return [] }
        var output = [UInt8]()
        output.reserveCapacity(min(limit, input.count * 4))
        var position = input.startIndex + 1

        func fail(_ what: String) -> EventLogError {
            .invalidField(
                offset: chunkOffset + (position - input.startIndex), field: "compressed tboot log data", found: what,
                expected: "a valid LZ77 stream")
        }
        func readNumber() throws(EventLogError) -> Int {
            var value = 0
            var bytesRead = 0
            while true {
                guard position < input.endIndex else { throw fail("a back-reference cut short") }
                let byte = input[position]
                position += 1
                bytesRead += 1
                guard bytesRead <= 5 else { throw fail("an overlong number") }
                value = value << 7 | Int(byte & 0x7F)
                if byte & 0x80 == 0 { return value }
            }
        }

        while position < input.endIndex {
            let symbol = input[position]
            position += 1
            if symbol != marker {
                output.append(symbol)
            } else {
                guard position < input.endIndex else { throw fail("a marker at the end of the chunk") }
                if input[position] == 0 {
                    output.append(marker)
                    position += 1
                } else {
                    let length = try readNumber()
                    let offset = try readNumber()
                    guard offset >= 1, offset <= output.count else {
                        throw fail("a back-reference to before the chunk start")
                    }
                    guard output.count + length <= limit else {
                        throw .limitExceeded(
                            offset: chunkOffset, what: "the decompressed tboot log chunk size",
                            value: output.count + length, limit: limit)
                    }
                    let from = output.count - offset
                    for index in 0..<length { output.append(output[from + index]) }
                }
            }
            guard output.count <= limit else {
                throw .limitExceeded(
                    offset: chunkOffset, what: "the decompressed tboot log chunk size", value: output.count,
                    limit: limit)
            }
        }
        return output
    }
}
