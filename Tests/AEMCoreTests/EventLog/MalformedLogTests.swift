import AEMTestSupport
import Testing

@testable import AEMCore

/// Hostile and broken inputs: every one ends in an `EventLogError` naming
/// an offset or the format, never in a crash or a hang.
@Suite struct MalformedLogTests {
    static let binaryFixtures = [
        "tboot/tpm2-da.eventlog-tcg.bin", "tboot/tpm12-legacy.eventlog-txt12.bin",
        "eventlogs/srtm/event.bin", "eventlogs/srtm/event-uefi-sha1-log.bin",
    ]

    /// Every prefix of a log either parses (it ends on a record boundary) or
    /// fails with a typed error.
    @Test(arguments: binaryFixtures)
    func everyTruncationIsHandled(path: String) throws {
        let bytes = try Fixtures.bytes(path)
        let step = max(1, bytes.count / 400)
        var failures = 0
        for length in stride(from: 0, to: bytes.count, by: step) {
            do {
                _ = try EventLogDecoder.decode(Array(bytes.prefix(length)))
            } catch {
                failures += 1
            }
        }
        #expect(failures > 0)
    }

    @Test func truncatedEventNamesOffsetAndField() throws {
        let bytes = try Fixtures.bytes("eventlogs/srtm/event.bin")
        let error = #expect(throws: EventLogError.self) { try EventLogDecoder.decode(Array(bytes.dropLast(3))) }
        guard case let .truncated(offset, expected, _, _)? = error else {
            Issue.record("unexpected error \(String(describing: error))")
            return
        }
        #expect(offset > 0 && offset < bytes.count)
        #expect(expected.contains("event 1"))
        #expect(error?.description.contains("offset 0x") == true)
    }

    @Test func oversizedDataLengthIsRejected() throws {
        var log = LogBuilder()
        log.specIDHeader(algorithms: [(0x0B, 32)])
        log.u32(17)
        log.u32(0x501)
        log.u32(1)
        log.u16(0x0B)
        log.raw(testBytes(32, seed: 1))
        log.u32(0xFFFF_FFF0)
        let error = #expect(throws: EventLogError.self) { try EventLogDecoder.decode(log.bytes) }
        #expect(error?.description.contains("data size of event 1") == true)
    }

    @Test func digestCountAboveHeaderAlgorithmsIsRejected() throws {
        var log = LogBuilder()
        log.specIDHeader(algorithms: [(0x0B, 32)])
        log.u32(17)
        log.u32(0x501)
        log.u32(5000)
        #expect(throws: EventLogError.self) { try EventLogDecoder.decode(log.bytes) }
    }

    @Test func digestOfAlgorithmMissingFromHeaderIsRejected() throws {
        var log = LogBuilder()
        log.specIDHeader(algorithms: [(0x0B, 32)])
        log.tcg2Record(pcr: 17, type: 0x501, digests: [(0x04, testBytes(20, seed: 1))])
        #expect(throws: EventLogError.self) { try EventLogDecoder.decode(log.bytes) }
    }

    @Test func pcrIndexOutOfRangeIsRejected() {
        var log = LogBuilder()
        log.tcg12Record(pcr: 40, type: 0x501, digest: testBytes(20, seed: 1))
        log.raw(testBytes(8, seed: 2))
        #expect(throws: EventLogError.self) { try EventLogDecoder.decode(log.bytes) }
    }

    @Test func garbageAndEmptyInputsAreRejected() {
        #expect(throws: EventLogError.self) { try EventLogDecoder.decode([]) }
        #expect(throws: EventLogError.self) {
            try EventLogDecoder.decode(Array("hello, this is not a log at all\n".utf8))
        }
        #expect(throws: EventLogError.self) { try EventLogDecoder.decode([UInt8](repeating: 0xFF, count: 4096)) }
        #expect(throws: EventLogError.self) { try EventLogDecoder.decode([UInt8](repeating: 0, count: 4096)) }
    }

    @Test func containerWithInvertedOffsetsIsRejected() {
        var log = LogBuilder()
        log.txtContainerHeader(size: 0x5000, eventsOffset: 400, nextOffset: 48)
        #expect(throws: EventLogError.self) { try EventLogDecoder.decode(log.bytes) }
    }

    @Test func memoryLogHeaderFieldsAreBoundsChecked() throws {
        var image = try Fixtures.bytes("tboot/tpm2-da-compressed.memlog.bin")
        image[18] = 0xFF  // curr_pos far beyond max_size
        image[19] = 0xFF
        #expect(throws: EventLogError.self) { try EventLogDecoder.decode(image) }

        var chunks = try Fixtures.bytes("tboot/tpm2-da-compressed.memlog.bin")
        chunks[60] = 11  // zip_count above 10
        #expect(throws: EventLogError.self) { try EventLogDecoder.decode(chunks) }
    }

    @Test func tbootTextWithoutPostLaunchEventsIsRejected() throws {
        let text = try Fixtures.bytes("tboot/tpm12-legacy.txt-stat.txt")
        let lines = String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        // Keep only the pre-launch part: its dump is empty.
        let preLaunch = lines.prefix { !$0.contains("SINIT ACM successfully returned") }.joined(separator: "\n")
        let error = #expect(throws: EventLogError.self) { try EventLogDecoder.decode(Array(preLaunch.utf8)) }
        #expect(error?.description.contains("holds no events") == true)
    }

    @Test func tbootTextWithCorruptHexIsRejected() throws {
        let text = String(decoding: try Fixtures.bytes("tboot/tpm2-da-compressed.txt-stat.txt"), as: UTF8.self)
        let corrupt = text.replacingOccurrences(of: "TBOOT: 4a 68 5d dc", with: "TBOOT: 4a 68 5x dc")
        #expect(corrupt != text)
        #expect(throws: EventLogError.self) { try EventLogDecoder.decode(Array(corrupt.utf8)) }
    }

    /// txt-stat prints the TXT registers even when tboot did not launch the
    /// boot (TrenchBoot, or a failed launch): the error says so.
    @Test func txtStatWithoutTbootLogSaysWhatItIs() throws {
        let text = """
            Intel(r) TXT Configuration Registers:
            \tSTS: 0x00018091
            \t    senter_done: TRUE
            \tESTS: 0x00
            \tERRORCODE: 0x00000000
            ***********************************************************
            \t TXT measured launch: TRUE
            \t secrets flag set: TRUE
            ***********************************************************

            """
        let error = #expect(throws: EventLogError.self) { try EventLogDecoder.decode(Array(text.utf8)) }
        #expect(error?.description.contains("no tboot log") == true)
        #expect(error?.description.contains("TrenchBoot") == true)
    }
}
