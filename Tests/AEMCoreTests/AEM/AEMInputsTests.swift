import AEMTestSupport
import Foundation
import Testing
@testable import AEMCore

@Suite struct AEMInputsTests {
    @Test func sealLineOfStockConfiguration() throws {
        let text = """
            # List of PCRs -- but note that Qubes DOESN'T USE TrustedGRUB:
            # 17-19: (DRTM) TBoot
            SEAL="--pcr 13 --pcr 17 --pcr 18 --pcr 19"
            """
        let configuration = try AEMConfiguration.parse(text)
        #expect(configuration.sealPCRs == [13, 17, 18, 19])
        #expect(configuration.selection(bank: .sha256) == "sha256:13,17,18,19")
    }

    @Test func lastAssignmentWinsAndVariantsParse() throws {
        #expect(try AEMConfiguration.parse("SEAL='--pcr 13'\nSEAL=\"--pcr=17 -p 18\"  # TrenchBoot\n").sealPCRs == [17, 18])
    }

    @Test(arguments: ["nothing here", "SEAL=\"--pcr 99\"", "SEAL=\"--pcr\"", "SEAL=\"--pcr 13", "SEAL=\"--foo 13\""])
    func badConfigurationsAreErrors(text: String) {
        #expect(throws: AEMConfiguration.ParseError.self) { try AEMConfiguration.parse(text) }
    }

    @Test func pcrFilesInJSONAndPcrreadYAML() throws {
        let json = try PCRValuesFile.parse(Array(#"{"sha256": {"17": "\#(String(repeating: "ab", count: 32))"}}"#.utf8))
        #expect(json[.sha256, 17]?.hex == String(repeating: "ab", count: 32))

        let tpm = try SoftwareTPM()
        let yaml = try tpm.tool("tpm2_pcrread", ["sha1:13,17+sha256:13,17"])
        let parsed = try PCRValuesFile.parse(Array(yaml.utf8))
        #expect(parsed[.sha256, 17] == .ones(.sha256))
        #expect(parsed[.sha1, 13] == .zero(.sha1))
        #expect(parsed.pcrs(in: .sha256) == [13, 17])

        #expect(throws: PCRValuesFile.ParseError.self) { try PCRValuesFile.parse(Array(#"{"sha256": {"17": "00"}}"#.utf8)) }
        #expect(throws: PCRValuesFile.ParseError.self) { try PCRValuesFile.parse(Array("sha256:\n  99: 0x00\n".utf8)) }
        #expect(throws: PCRValuesFile.ParseError.self) { try PCRValuesFile.parse(Array("".utf8)) }
    }
}
