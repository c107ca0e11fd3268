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
        #expect(
            try AEMConfiguration.parse("SEAL='--pcr 13'\nSEAL=\"--pcr=17 -p 18\"  # TrenchBoot\n").sealPCRs == [17, 18])
    }

    @Test(arguments: ["nothing here", "SEAL=\"--pcr 99\"", "SEAL=\"--pcr\"", "SEAL=\"--pcr 13", "SEAL=\"--foo 13\""])
    func badConfigurationsAreErrors(text: String) {
        #expect(throws: AEMConfigurationError.self) { try AEMConfiguration.parse(text) }
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

        #expect(throws: PCRValuesFileError.self) { try PCRValuesFile.parse(Array(#"{"sha256": {"17": "00"}}"#.utf8)) }
        #expect(throws: PCRValuesFileError.self) { try PCRValuesFile.parse(Array("sha256:\n  99: 0x00\n".utf8)) }
        #expect(throws: PCRValuesFileError.self) { try PCRValuesFile.parse(Array("".utf8)) }
    }

    /// The kernel's TPM 1.2 sysfs `pcrs` file (drivers/char/tpm/tpm_sysfs.c
    /// prints `PCR-%02d: ` and then `%02X ` per byte), as AEM reads it.
    @Test func tpm12SysfsPCRsFile() throws {
        let pcr17 = "be6e71" + String(repeating: "0f", count: 17)
        func line(_ pcr: Int, _ hex: String) -> String {
            let pairs = stride(from: 0, to: hex.count, by: 2).map { i -> String in
                let start = hex.index(hex.startIndex, offsetBy: i)
                return hex[start..<hex.index(start, offsetBy: 2)].uppercased()
            }
            return String(format: "PCR-%02d: ", pcr) + pairs.map { $0 + " " }.joined() + "\n"
        }
        let text = (0..<24).map { line($0, $0 == 17 ? pcr17 : String(repeating: $0 >= 17 ? "ff" : "00", count: 20)) }
            .joined()
        let parsed = try PCRValuesFile.parse(Array(text.utf8))
        #expect(parsed.banks == [.sha1])
        #expect(parsed.pcrs(in: .sha1) == Array(0..<24))
        #expect(parsed[.sha1, 17]?.hex == pcr17)
        #expect(parsed[.sha1, 18] == .ones(.sha1))
        #expect(parsed[.sha1, 0] == .zero(.sha1))

        #expect(throws: PCRValuesFileError.self) { try PCRValuesFile.parse(Array("PCR-17: BE 6E\n".utf8)) }
        #expect(throws: PCRValuesFileError.self) {
            try PCRValuesFile.parse(Array("PCR-30: \(String(repeating: "00 ", count: 20))\n".utf8))
        }
    }
}
