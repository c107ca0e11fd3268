import AEMTestSupport
import Testing

@testable import AEMCore

@Suite struct TbootLZ77Tests {
    @Test func decodesLiteralsEscapedMarkersAndBackReferences() throws {
        // Marker 0xFE; "abc", an escaped marker, then "copy 6 from 4 back"
        // (overlapping copy), then "z".
        let stream: [UInt8] = [0xFE, 0x61, 0x62, 0x63, 0xFE, 0x00, 0xFE, 0x06, 0x04, 0x7A]
        let out = try TbootLZ77.decompress(stream[...], limit: 100, chunkOffset: 0)
        #expect(out == [0x61, 0x62, 0x63, 0xFE, 0x61, 0x62, 0x63, 0xFE, 0x61, 0x62, 0x7A])
    }

    @Test func decodesMultiByteNumbers() throws {
        // length 130 = 0x81 0x02; offset 1.
        let stream: [UInt8] = [0xFE, 0x41, 0xFE, 0x81, 0x02, 0x01]
        let out = try TbootLZ77.decompress(stream[...], limit: 1000, chunkOffset: 0)
        #expect(out == [UInt8](repeating: 0x41, count: 131))
    }

    @Test func rejectsReferencesBeforeStartTruncationAndBombs() {
        #expect(throws: EventLogError.self) {
            try TbootLZ77.decompress([0xFE, 0x41, 0xFE, 0x02, 0x05][...], limit: 100, chunkOffset: 0)
        }
        #expect(throws: EventLogError.self) {
            try TbootLZ77.decompress([0xFE, 0x41, 0xFE][...], limit: 100, chunkOffset: 0)
        }
        #expect(throws: EventLogError.self) {
            try TbootLZ77.decompress([0xFE, 0x41, 0xFE, 0x85][...], limit: 100, chunkOffset: 0)
        }
        #expect(throws: EventLogError.self) {
            try TbootLZ77.decompress([0xFE, 0x41, 0xFE, 0xFF, 0xFF, 0x7F, 0x01][...], limit: 1 << 16, chunkOffset: 0)
        }
    }
}
