import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

@Suite struct TbootMeasurementTests {
    /// Known answers from the reference (section 3): tboot's default TPM 2.0
    /// policy, as published in a real log.
    @Test func defaultDetailsAuthoritiesPolicyKnownAnswers() {
        let policy = TbootPolicy.defaultDetailsAuthorities
        #expect(
            Hex.encode(policy.serialized) == "02000b01000000000000000300ff00000000000081110000000000008316001000004000")
        #expect(
            HashAlgorithm.sha256.hash(policy.serialized).hex
                == "e8cd244a4fa79c3e7ebb9e0a5a682157edfec023f1228eef274b84789cc6df89")
        #expect(
            policy.eventDigest(bank: .sha256, current: .sha256).hex
                == "71be5852a14eabefebf0df0e1acc5da291883b6d4c5ab20914ed987c1daf3f91")
        #expect(policy.eventDigest(bank: .sha1, current: .sha256).hex == "0afc07618e3739481f4c2abaf703ca4e35507e6e")
    }

    /// The legacy default policy reproduces the policy event of the TPM 1.2
    /// tboot sample (and the pol_hash its log printed).
    @Test func defaultLegacyPolicyMatchesTheTPM12Sample() throws {
        let policy = TbootPolicy.defaultLegacy
        #expect(HashAlgorithm.sha1.hash(policy.serialized).hex == "86a462b6f209a2e0dad44e8d8934a240590d5222")
        let log = try EventLogDecoder.decode(try Fixtures.bytes("tboot/tpm12-legacy.eventlog-txt12.bin")).log
        let first = try #require(BootFlows.tbootEvents(in: log).first)
        #expect(first.digest(.sha1) == policy.eventDigest(bank: .sha1, current: .sha1))
    }

    @Test(arguments: ["placeholder console=none", "", "placeholder \"quoted\" and \\ backslash"])
    func moduleMeasurementIsHashOfHashes(commandLine: String) throws {
        let directory = try TemporaryDirectory()
        let image = testBytes(10_000, seed: 8)
        let path = try directory.write("image", image)
        for bank in [HashAlgorithm.sha1, .sha256] {
            let digest = TbootModuleMeasurement.digest(commandLine: commandLine, imageDigest: bank.hash(image))
            #expect(
                digest.hex
                    == (try Python.tbootModuleDigest(bank: bank.rawValue, commandLine: commandLine, imagePath: path)))
        }
    }

    @Test func flowsAreRecognizedFromTheSampleLogs() throws {
        let da = try EventLogDecoder.decode(try Fixtures.bytes("tboot/tpm2-da.eventlog-tcg.bin")).log
        let detected = try #require(BootFlows.detect(in: da))
        #expect(detected.flow.name == "tboot-da")
        #expect(detected.layout.policyEvents.map(\.pcr) == [17, 18])
        #expect(detected.layout.moduleEvents.count == 3)
        // The sample's module events are the digests tboot printed as "OK".
        let printed = try #require(
            try EventLogDecoder.decode(try Fixtures.bytes("tboot/tpm2-da-compressed.txt-stat.txt")).tboot)
        #expect(detected.layout.moduleEvents.map { $0.digest(.sha256) } == printed.modules.map(\.digest))

        let legacy = try EventLogDecoder.decode(try Fixtures.bytes("tboot/tpm12-legacy.eventlog-txt12.bin")).log
        let legacyFlow = try #require(BootFlows.detect(in: legacy))
        #expect(legacyFlow.flow.name == "tboot-legacy")
        #expect(legacyFlow.layout.moduleEvents.map(\.pcr) == [18, 19, 19])
        #expect(legacyFlow.flow.extendedPCRs == [17, 18, 19])
        #expect(TbootDetailsAuthoritiesFlow().extendedPCRs == [17, 18])
    }
}
