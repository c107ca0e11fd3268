import AEMCore
import AEMTestSupport
import Foundation
import Testing

@testable import AEMTPM

/// The TPM layer against a real TPM 2.0 implementation (swtpm).
@Suite struct TPMConnectionTests {
    @Test func readsPCRsInEveryAllocatedBankAndMatchesTpm2Tools() throws {
        let tpm = try SoftwareTPM()
        let banks = try tpm.connect().allocatedBanks()
        #expect(banks.contains(.sha256) && banks.contains(.sha1))
        let values = try tpm.connect().readPCRs(banks: banks, pcrs: Array(0...23))
        #expect(values.pcrs(in: .sha256).count == 24)
        // Before any launch the DRTM PCRs read all-ones, the others zero.
        #expect(values[.sha256, 17] == .ones(.sha256))
        #expect(values[.sha1, 13] == .zero(.sha1))

        try tpm.tool("tpm2_pcrextend", ["13:sha256=" + String(repeating: "ab", count: 32)])
        let output = try tpm.tool("tpm2_pcrread", ["sha256:13"])
        let after = try tpm.connect().readPCRs(banks: [.sha256], pcrs: [13])
        #expect(output.lowercased().contains(try #require(after[.sha256, 13]).hex))
    }

    @Test func dynamicLaunchThenLocalityTwoExtendsAsTbootDoes() throws {
        let tpm = try SoftwareTPM()
        try tpm.hashStart("sinit")
        let start = try Python.extend(
            bank: "sha256", start: String(repeating: "00", count: 32),
            measurements: [try Python.hash("sha256", Array("sinit".utf8))])
        #expect(try tpm.connect().readPCRs(banks: [.sha256], pcrs: [17])[.sha256, 17]?.hex == start)

        let measurement = Digest(algorithm: .sha256, bytes: testBytes(32, seed: 5))
        let connection = try tpm.connect()
        // Locality 0 may not touch PCR 17.
        let refused = #expect(throws: TPMError.self) { try connection.extend(pcr: 17, with: [measurement]) }
        #expect(refused?.description.contains("locality") == true)
        #expect(refused?.tpmError == .locality)
        try connection.setLocality(2)
        try connection.extend(pcr: 17, with: [measurement])
        let expected = try Python.extend(bank: "sha256", start: start, measurements: [measurement.hex])
        #expect(try connection.readPCRs(banks: [.sha256], pcrs: [17, 19])[.sha256, 17]?.hex == expected)
    }

    @Test func powerCycleResetsThePCRs() throws {
        let tpm = try SoftwareTPM()
        try tpm.hashStart("launch")
        try tpm.powerCycle()
        let values = try tpm.connect().readPCRs(banks: [.sha256], pcrs: [17, 13])
        #expect(values[.sha256, 17] == .ones(.sha256))
        #expect(values[.sha256, 13] == .zero(.sha256))
    }

    @Test func unreachableTPMGivesAClearError() {
        let error = #expect(throws: TPMError.self) { try TPMConnection(tcti: "swtpm:host=127.0.0.1,port=1") }
        #expect(error?.description.isEmpty == false)
    }
}
