import AEMTestSupport
import Testing

@testable import AEMCore

/// DRTM logs built from the layouts in the reference (section 4), replayed
/// and compared with an independent hashlib computation. They exercise
/// HASH_START (which sets PCR 17), PCR 255 events (never extended), events
/// that extend only some banks, and zero padding after the last event.
@Suite struct ConstructedDRTMLogTests {
    struct Step {
        var pcr: UInt32
        var type: UInt32
        var digests: [HashAlgorithm: [UInt8]]
    }

    /// A launch as SINIT and tboot (DA mapping, fixed sha256 policy) log it.
    static func steps(banks: [HashAlgorithm], tbootBanks: [HashAlgorithm]) -> [Step] {
        func d(_ seed: UInt8, _ only: [HashAlgorithm]) -> [HashAlgorithm: [UInt8]] {
            Dictionary(
                uniqueKeysWithValues: only.map { ($0, testBytes($0.digestSize, seed: seed &+ UInt8($0.digestSize))) })
        }
        return [
            Step(pcr: 17, type: 0x402, digests: d(1, banks)),
            Step(pcr: 255, type: 0x401, digests: d(2, banks)),
            Step(pcr: 17, type: 0x40A, digests: d(3, banks)),
            Step(pcr: 18, type: 0x404, digests: d(4, banks)),
            Step(pcr: 17, type: 0x501, digests: d(5, tbootBanks)),
            Step(pcr: 18, type: 0x501, digests: d(5, tbootBanks)),
            Step(pcr: 17, type: 0x501, digests: d(6, tbootBanks)),
            Step(pcr: 19, type: 0x501, digests: d(7, tbootBanks)),
        ]
    }

    /// Expected PCR 17-19 values, computed with hashlib: PCR 17 starts from
    /// the HASH_START digest, the others from zero; PCR 255 is skipped.
    static func expected(_ steps: [Step], banks: [HashAlgorithm]) throws -> [HashAlgorithm: [UInt32: String]] {
        var result = [HashAlgorithm: [UInt32: String]]()
        for bank in banks {
            for pcr: UInt32 in 17...19 {
                var start = String(repeating: "00", count: bank.digestSize)
                var measurements = [String]()
                for step in steps where step.pcr == pcr {
                    guard let digest = step.digests[bank] else { continue }
                    if step.type == 0x402 {
                        start = Hex.encode(digest)
                    } else {
                        measurements.append(Hex.encode(digest))
                    }
                }
                result[bank, default: [:]][pcr] = try Python.extend(
                    bank: bank.rawValue, start: start, measurements: measurements)
            }
        }
        return result
    }

    static func check(_ log: EventLog, against expected: [HashAlgorithm: [UInt32: String]]) {
        let replayed = EventLogReplay.replay(log)
        for (bank, values) in expected {
            for (pcr, hex) in values {
                #expect(replayed[bank, pcr]?.hex == hex, "\(log.format) \(bank) PCR \(pcr)")
            }
        }
        #expect(!replayed.banks.contains { replayed.pcrs(in: $0).contains(255) })
    }

    @Test func txtEventContainer() throws {
        let steps = Self.steps(banks: [.sha1], tbootBanks: [.sha1])
        var events = LogBuilder()
        for step in steps {
            events.tcg12Record(pcr: step.pcr, type: step.type, digest: step.digests[.sha1]!, data: [1, 2, 3])
        }
        var log = LogBuilder()
        log.txtContainerHeader(size: 0x5000, eventsOffset: 48, nextOffset: UInt32(48 + events.bytes.count))
        log.raw(events.bytes)
        log.raw([UInt8](repeating: 0, count: 0x5000 - log.bytes.count))

        let decoded = try EventLogDecoder.decode(log.bytes)
        #expect(decoded.log.format == .txt12)
        #expect(decoded.log.events.count == steps.count)
        #expect(decoded.log.events[1].data == [1, 2, 3])
        Self.check(decoded.log, against: try Self.expected(steps, banks: [.sha1]))
    }

    @Test func txtEventContainerCutBeforeItsLastEvent() throws {
        var log = LogBuilder()
        log.txtContainerHeader(size: 0x5000, eventsOffset: 48, nextOffset: 48 + 32 + 100)
        log.tcg12Record(pcr: 17, type: 0x402, digest: testBytes(20, seed: 1))
        #expect(throws: EventLogError.self) { try EventLogDecoder.decode(log.bytes) }
    }

    @Test func txtTPM2LegacySHA256LogWithDescriptor() throws {
        let steps = Self.steps(banks: [.sha256], tbootBanks: [.sha256])
        var log = LogBuilder()
        log.txtLegacyDescriptor(digestID: 2, digestSize: 32)
        for step in steps { log.tcg12Record(pcr: step.pcr, type: step.type, digest: step.digests[.sha256]!) }
        log.raw([UInt8](repeating: 0, count: 512))

        let decoded = try EventLogDecoder.decode(log.bytes)
        #expect(decoded.log.format == .txt2Legacy)
        #expect(decoded.log.banks == [.sha256])
        #expect(decoded.log.events.count == steps.count + 1)
        Self.check(decoded.log, against: try Self.expected(steps, banks: [.sha256]))
    }

    @Test func txtTPM2LegacySHA1LogWithoutDescriptor() throws {
        let steps = Self.steps(banks: [.sha1], tbootBanks: [.sha1])
        var log = LogBuilder()
        for step in steps { log.tcg12Record(pcr: step.pcr, type: step.type, digest: step.digests[.sha1]!) }

        let decoded = try EventLogDecoder.decode(log.bytes)
        #expect(decoded.log.format == .txt2Legacy)
        #expect(decoded.log.recordsDynamicLaunch)
        Self.check(decoded.log, against: try Self.expected(steps, banks: [.sha1]))
    }

    @Test func tcgFormatDRTMLogWithPerEventBanks() throws {
        // SINIT extends both banks; tboot's fixed policy only sha256.
        let steps = Self.steps(banks: [.sha1, .sha256], tbootBanks: [.sha256])
        var log = LogBuilder()
        log.specIDHeader(algorithms: [(0x04, 20), (0x0B, 32)])
        for step in steps {
            let digests = [HashAlgorithm.sha1, .sha256].compactMap { bank in
                step.digests[bank].map { (bank.tpmAlgorithmID, $0) }
            }
            log.tcg2Record(pcr: step.pcr, type: step.type, digests: digests)
        }
        log.raw([UInt8](repeating: 0, count: 8192 - log.bytes.count))

        let decoded = try EventLogDecoder.decode(log.bytes)
        #expect(decoded.log.format == .tcg2)
        #expect(decoded.log.recordsDynamicLaunch)
        #expect(decoded.log.events.count == steps.count + 1)
        let expected = try Self.expected(steps, banks: [.sha1, .sha256])
        Self.check(decoded.log, against: expected)
        // No tboot event reached the sha1 bank of PCR 19.
        #expect(EventLogReplay.replay(decoded.log)[.sha1, 19] == .zero(.sha1))
    }

    @Test func startupLocalityAndHCRTMSetPCR0ResetValue() throws {
        var locality = LogBuilder()
        locality.specIDHeader(algorithms: [(0x0B, 32)])
        locality.tcg2Record(
            pcr: 0, type: 3, digests: [(0x0B, [UInt8](repeating: 0, count: 32))],
            data: Array("StartupLocality".utf8) + [0, 3])
        let measurement = testBytes(32, seed: 9)
        locality.tcg2Record(pcr: 0, type: 8, digests: [(0x0B, measurement)], data: [0, 0])
        let decoded = try EventLogDecoder.decode(locality.bytes)
        #expect(decoded.log.startupLocality == 3)
        let expected = try Python.extend(
            bank: "sha256", start: String(repeating: "00", count: 31) + "03", measurements: [Hex.encode(measurement)])
        #expect(EventLogReplay.replay(decoded.log)[.sha256, 0]?.hex == expected)

        var hcrtm = LogBuilder()
        hcrtm.specIDHeader(algorithms: [(0x0B, 32)])
        hcrtm.tcg2Record(pcr: 0, type: 0x8000_0010, digests: [(0x0B, measurement)], data: Array("HCRTM".utf8))
        let hcrtmExpected = try Python.extend(
            bank: "sha256", start: String(repeating: "00", count: 31) + "04", measurements: [Hex.encode(measurement)])
        #expect(EventLogReplay.replay(try EventLogDecoder.decode(hcrtm.bytes).log)[.sha256, 0]?.hex == hcrtmExpected)
    }
}
