import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// Replays the public fixtures and compares with the values their sources
/// published (tpm2_eventlog's YAML, the tboot samples' expected PCRs).
@Suite struct FixtureReplayTests {
    static let srtmLogs = (try? Fixtures.files(in: "eventlogs/srtm", suffix: ".bin")) ?? []
    static let unlabelledLogs = (try? Fixtures.files(in: "eventlogs/srtm-unlabelled", suffix: ".bin")) ?? []
    static let tbootSamples = [
        ("tboot/tpm2-da.eventlog-tcg.bin", "tpm2-da", EventLogFormat.tcg2),
        ("tboot/tpm2-da-compressed.memlog.bin", "tpm2-da", .tbootMemoryLog),
        ("tboot/tpm2-da-compressed.txt-stat.txt", "tpm2-da", .tbootText),
        ("tboot/tpm12-legacy.eventlog-txt12.bin", "tpm12-legacy", .txt12),
        ("tboot/tpm12-legacy.memlog.bin", "tpm12-legacy", .tbootMemoryLog),
        ("tboot/tpm12-legacy.txt-stat.txt", "tpm12-legacy", .tbootText),
    ]

    @Test func fixturesArePresent() {
        #expect(Self.srtmLogs.count == 4)
        #expect(Self.unlabelledLogs.count == 4)
    }

    @Test(arguments: srtmLogs)
    func srtmLogReplaysToPublishedPCRs(log path: String) throws {
        let yamlPath = try Fixtures.files(in: "eventlogs/srtm", suffix: ".yaml").first { $0.hasPrefix(path + ".") }
        let yaml = try String(contentsOfFile: Fixtures.path(try #require(yamlPath)), encoding: .utf8)
        let expected = ExpectedPCRsYAML.parse(yaml)
        #expect(!expected.isEmpty)

        let decoded = try EventLogDecoder.decode(try Fixtures.bytes(path))
        let replayed = EventLogReplay.replay(decoded.log)
        #expect(Set(replayed.banks.map(\.rawValue)) == Set(expected.keys))
        for (bankName, values) in expected {
            let bank = try #require(HashAlgorithm(name: bankName))
            #expect(Set(replayed.pcrs(in: bank)) == Set(values.keys), "PCR set of \(bankName)")
            for (pcr, hex) in values {
                #expect(replayed[bank, pcr]?.hex == hex, "\(path) \(bankName) PCR \(pcr)")
            }
        }
    }

    @Test func archLinuxLogWarnsAboutEvent24Only() throws {
        let decoded = try EventLogDecoder.decode(try Fixtures.bytes("eventlogs/srtm/event-arch-linux.bin"))
        #expect(decoded.log.warnings.map(\.sequence) == [24])
        #expect(decoded.log.warnings.first?.message.contains("does not match its payload") == true)
    }

    @Test(arguments: unlabelledLogs)
    func unlabelledLogReplaysWithoutError(log path: String) throws {
        let decoded = try EventLogDecoder.decode(try Fixtures.bytes(path))
        #expect(decoded.log.events.count > 10)
        let replayed = EventLogReplay.replay(decoded.log)
        #expect(replayed.pcrs(in: decoded.log.banks[0]).contains(0))
        #expect(!decoded.log.recordsDynamicLaunch)
    }

    @Test(arguments: tbootSamples)
    func tbootSampleReplaysToExpectedDRTMPCRs(sample: (String, String, EventLogFormat)) throws {
        let (path, key, format) = sample
        let expectedJSON = try JSONSerialization.jsonObject(
            with: Data(try Fixtures.bytes("tboot/expected-drtm-pcrs.json")))
        let all = try #require(expectedJSON as? [String: [String: [String: String]]])
        let expected = try #require(all[key])

        let decoded = try EventLogDecoder.decode(try Fixtures.bytes(path))
        #expect(decoded.log.format == format)
        #expect(decoded.log.recordsDynamicLaunch)
        let replayed = EventLogReplay.replay(decoded.log)
        #expect(Set(replayed.banks.map(\.rawValue)) == Set(expected.keys))
        for (bankName, values) in expected {
            let bank = try #require(HashAlgorithm(name: bankName))
            for (pcr, hex) in values {
                #expect(replayed[bank, try #require(UInt32(pcr))]?.hex == hex, "\(path) \(bankName) PCR \(pcr)")
            }
            for pcr in UInt32(20)...22 { #expect(replayed[bank, pcr] == .zero(bank)) }
        }
    }

    @Test func textAndBinaryFormsOfOneBootAgreeEventByEvent() throws {
        for (binary, text) in [
            ("tboot/tpm2-da.eventlog-tcg.bin", "tboot/tpm2-da-compressed.memlog.bin"),
            ("tboot/tpm12-legacy.eventlog-txt12.bin", "tboot/tpm12-legacy.txt-stat.txt"),
        ] {
            let fromBinary = try EventLogDecoder.decode(try Fixtures.bytes(binary)).log.events.filter(\.affectsPCR)
            let fromText = try EventLogDecoder.decode(try Fixtures.bytes(text)).log.events.filter(\.affectsPCR)
            #expect(fromBinary.map(\.pcr) == fromText.map(\.pcr))
            #expect(fromBinary.map(\.type) == fromText.map(\.type))
            #expect(fromBinary.map(\.digests) == fromText.map(\.digests))
            #expect(fromBinary.map(\.data) == fromText.map(\.data))
        }
    }

    @Test func tbootModuleLinesAreRecovered() throws {
        let decoded = try EventLogDecoder.decode(try Fixtures.bytes("tboot/tpm2-da-compressed.memlog.bin"))
        let tboot = try #require(decoded.tboot)
        #expect(tboot.version == "1.11.10")
        #expect(tboot.dumpFormat == .tcg2)
        #expect(tboot.modules.count == 3)
        #expect(
            tboot.modules[0].commandLine
                == "placeholder console=none dom0_mem=min:1024M dom0_mem=max:4096M ucode=scan smt=off gnttab_max_frames=2048 gnttab_max_maptrack_frames=4096"
        )
        #expect(
            tboot.modules[1].commandLine.hasPrefix(
                "placeholder root=/dev/mapper/qubes_dom0-root ro rd.luks.uuid=luks-9acac626-0943-1a9c"))
        #expect(tboot.modules[1].commandLine.hasSuffix("rd.luks.key=/tmp/aem-keyfile rd.luks.crypttab=no"))
        #expect(tboot.modules[2].commandLine == "")
        #expect(tboot.modules[0].digest?.hex == "cb8ed25a297368b0de157709a6d4b811e4ec323bea4f33d6037eaa5c619adde6")
        #expect(tboot.modules[2].digest?.algorithm == .sha256)

        // The digests tboot printed are the ones its events extended.
        let tbootEvents = decoded.log.events.filter { $0.type == .tbootMeasurement }
        #expect(tbootEvents.suffix(3).map { $0.digest(.sha256) } == tboot.modules.map(\.digest))

        let legacy = try #require(
            try EventLogDecoder.decode(try Fixtures.bytes("tboot/tpm12-legacy.txt-stat.txt")).tboot)
        #expect(legacy.dumpFormat == .txt12)
        #expect(legacy.modules.map { $0.digest?.algorithm } == [.sha1, .sha1, .sha1])
    }
}
