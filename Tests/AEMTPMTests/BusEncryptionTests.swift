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
        try TPM2ToolsSeal.provisionSRK(on: tpm, password: Self.password)
        let wire = try BusWiretap(inFrontOf: tpm)
        let key = try #require(SecretBytes.random(count: 16))
        let keyBytes = key.withUnsafeBytes { Array($0) }
        let policy = Digest(algorithm: .sha256, bytes: testBytes(32, seed: 5))

        // The control: what AEM's tpm2-tools commands send (tpm2_create -P str:... -i -)
        // is visible on this wire.
        let marker = Array("seal me in the clear".utf8)
        let stock = try Command.run(
            "tpm2_create",
            ["-Q", "-C", "0x81000001", "-P", "str:\(Self.password)", "-i", "-", "-u", "/dev/null", "-r", "/dev/null"],
            stdinBytes: marker, environment: ["TPM2TOOLS_TCTI": wire.tcti, "TSS2_LOG": "all+none"])
        #expect(stock.status == 0, "\(stock.stderr)")
        #expect(wire.saw(marker), "the wiretap sees the sealed data AEM's commands send")

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

/// The same wiretap on a TPM 1.2's bus (between tcsd and the TPM): without
/// a transport session TPM_Seal carries the sealed key in the clear; the
/// tool's seal goes through an encrypted transport session.
@Suite struct TPM12BusEncryptionTests {
    @Test func theSealedKeyNeverCrossesTheTPM12BusInTheClear() throws {
        let tpm = try SoftwareTPM12(wiretapped: true)
        let wire = try #require(tpm.wiretap)
        let values: [UInt32: Digest] = [17: Digest(algorithm: .sha1, bytes: testBytes(20, seed: 4))]

        // The control: the same seal outside a transport session.
        let plain = try tpm.connect()
        let control = try #require(SecretBytes.random(count: 32))
        let unencrypted = try plain.createSealingKey(srk: .wellKnown, encryptingTransport: false)
        _ = try plain.seal(control, with: unencrypted, releasePCRs: values)
        #expect(wire.saw(control.withUnsafeBytes { Array($0) }), "the wiretap sees a plain TPM_Seal's data")

        wire.clear()
        let connection = try tpm.connect()
        let key = try #require(SecretBytes.random(count: 32))
        let sealingKey = try connection.createSealingKey(srk: .wellKnown)
        let sealed = try connection.seal(key, with: sealingKey, releasePCRs: values)
        #expect(wire.recorded.count > 500, "the seal went through the wiretap")
        #expect(!sealed.isEmpty)
        #expect(!wire.saw(key.withUnsafeBytes { Array($0) }), "the sealed key crossed the bus in the clear")
    }
}
