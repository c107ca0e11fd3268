import AEMCore
import AEMTestSupport
import Foundation
import Testing

@testable import AEMTPM

/// A bus interposer records everything between the tool and the TPM. Stock
/// AEM's own `tpm2_create` (no parameter encryption) shows it the data it
/// seals; the tool's seal shows it neither the sealed key nor the SRK
/// password (tpm2-tools 5 already keeps a `str:` password off the wire
/// with an HMAC session, so the password has no stock control here: the
/// wiretap's recording of the TPM's own answer stands in for it).
@Suite struct BusEncryptionTests {
    static let password = "srk pass phrase 7"

    @Test func theSealedKeyAndTheSRKPasswordNeverCrossTheBusInTheClear() throws {
        let tpm = try SoftwareTPM()
        try StockAEM.provisionSRK(on: tpm, password: Self.password)
        let wire = try RecordingTPMProxy(inFrontOf: tpm)
        let key = try #require(SecretBytes.random(count: 16))
        let keyBytes = key.withUnsafeBytes { Array($0) }
        let policy = Digest(algorithm: .sha256, bytes: testBytes(32, seed: 5))

        // The control: what stock AEM sends (tpm2_create -P str:... -i -)
        // is visible on this wire.
        let marker = Array("seal me in the clear".utf8)
        let stock = try Command.run(
            "tpm2_create",
            ["-Q", "-C", "0x81000001", "-P", "str:\(Self.password)", "-i", "-", "-u", "/dev/null", "-r", "/dev/null"],
            stdinBytes: marker, environment: ["TPM2TOOLS_TCTI": wire.tcti, "TSS2_LOG": "all+none"])
        #expect(stock.status == 0, "\(stock.stderr)")
        #expect(wire.saw(marker), "the wiretap sees stock AEM's sealed data")

        // The tool, on the same wire.
        wire.clear()
        var password = Array(Self.password.utf8)
        let srkPassword = SecretBytes(consuming: &password)
        let connection = try TPMConnection(tcti: wire.tcti)
        let object = try connection.seal(key, policy: policy, srkPassword: srkPassword)
        try connection.checkLoads(object, srkPassword: srkPassword)
        #expect(wire.recorded.count > 1000, "the seal went through the wiretap")
        #expect(wire.saw(object.marshalledPublic), "the wiretap records what the TPM returns")
        #expect(!wire.saw(keyBytes), "the sealed key crossed the bus in the clear")
        #expect(!wire.saw(Array(Self.password.utf8)), "the SRK password crossed the bus in the clear")
    }
}
