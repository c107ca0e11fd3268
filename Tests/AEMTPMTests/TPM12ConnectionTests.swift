import AEMCore
import AEMTestSupport
import Foundation
import Testing

@testable import AEMTPM

/// libtspi through tcsd against swtpm in TPM 1.2 mode, checked against
/// values computed with Python's hashlib and against the real tpm-tools.
@Suite struct TPM12ConnectionTests {
    static func sha1Extend(_ start: String, _ measurements: [String]) throws -> String {
        try Python.extend(bank: "sha1", start: start, measurements: measurements)
    }

    static let zero = String(repeating: "00", count: 20)

    @Test func readsAndExtendsLikeATPM12() throws {
        let tpm = try SoftwareTPM12()
        try tpm.hashStart("sinit")
        let measurement = Digest(algorithm: .sha1, bytes: testBytes(20, seed: 7))
        try tpm.extend([(18, [measurement])], atLocality: 2)
        let values = try tpm.connect().readPCRs([17, 18, 19])
        let sinit = try Python.hash("sha1", Array("sinit".utf8))
        #expect(values[.sha1, 17]?.hex == (try Self.sha1Extend(Self.zero, [sinit])))
        #expect(values[.sha1, 18]?.hex == (try Self.sha1Extend(Self.zero, [measurement.hex])))
        #expect(values[.sha1, 19]?.hex == Self.zero)

        // PCR 18 at locality 0 is refused, as on hardware.
        let refused = #expect(throws: TPM12Error.self) { try tpm.connect().extend(pcr: 18, with: measurement) }
        #expect(refused?.tpmError == .badLocality)
    }

    /// Sealed to values the PCRs do not hold yet: the real
    /// `tpm_unsealdata` refuses the file, then opens it once they do.
    @Test func sealsToGivenValuesThatTpmUnsealdataOpensWhenTheyHold() throws {
        let tpm = try SoftwareTPM12()
        try tpm.hashStart("sinit")
        let future = Digest(algorithm: .sha1, bytes: testBytes(20, seed: 9))
        let sinit = try Python.hash("sha1", Array("sinit".utf8))
        let predicted: [UInt32: Digest] = [
            17: Digest(algorithm: .sha1, hex: try Self.sha1Extend(Self.zero, [sinit]))!,
            18: Digest(algorithm: .sha1, hex: try Self.sha1Extend(Self.zero, [future.hex]))!,
        ]

        let connection = try tpm.connect()
        let key = try connection.createSealingKey(srk: .wellKnown)
        let aesKey = try #require(SecretBytes.random(count: 32))
        var plain = Array("the AEM secret\n".utf8)
        let secret = SecretBytes(consuming: &plain)
        let file = TSSSealedFile(
            keyBlob: key.blob, sealedKeyBlob: try connection.seal(aesKey, with: key, releasePCRs: predicted),
            encryptedData: try TSSSealedFile.encrypt(secret, key: aesKey))
        let directory = try TemporaryDirectory()
        let path = try directory.write("secret.txt.sealed2", file.rendered())

        let before = try tpm.toolResult("tpm_unsealdata", ["-z", "-i", path])
        #expect(before.status != 0)
        try tpm.extend([(18, [future])], atLocality: 2)
        let after = try tpm.toolResult("tpm_unsealdata", ["-z", "-i", path])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stdout == "the AEM secret\n")

        // The release conditions read back offline are the ones asked for.
        let stored = try TPM12StoredData.parse(file.sealedKeyBlob)
        #expect(stored.releasePCRs == [17, 18])
        #expect(stored.localityAtRelease == 0x1F)
        var values = PCRValues()
        for (pcr, value) in predicted { values[.sha1, pcr] = value }
        #expect(stored.digestAtRelease == (try PCRCompositeDigest.compute(pcrs: [17, 18], values: values)))
    }

    /// A file `tpm_sealdata` wrote: parsing and rendering it gives back
    /// the same bytes, and its digestAtRelease is the composite of the
    /// PCR values hashlib computes for this boot.
    @Test func stockTpmSealdataFilesRoundTripAndCarryTheCompositeDigest() throws {
        let tpm = try SoftwareTPM12()
        try tpm.hashStart("sinit")
        let xen = Digest(algorithm: .sha1, bytes: testBytes(20, seed: 3))
        try tpm.extend([(18, [xen])], atLocality: 2)
        let luks = Digest(algorithm: .sha1, bytes: testBytes(20, seed: 4))
        try tpm.extend([(13, [luks])], atLocality: 0)

        let directory = try TemporaryDirectory()
        let input = try directory.write("secret.txt", "Bluebell meadow\n")
        try tpm.tool(
            "tpm_sealdata",
            ["-z", "--pcr", "13", "--pcr", "17", "--pcr", "18", "-i", input, "-o", directory.path("sealed")])
        let bytes = try directory.read("sealed")
        let file = try TSSSealedFile.parse(bytes)
        #expect(file.rendered() == bytes)

        let sinit = try Python.hash("sha1", Array("sinit".utf8))
        var values = PCRValues()
        values[.sha1, 13] = Digest(algorithm: .sha1, hex: try Self.sha1Extend(Self.zero, [luks.hex]))
        values[.sha1, 17] = Digest(algorithm: .sha1, hex: try Self.sha1Extend(Self.zero, [sinit]))
        values[.sha1, 18] = Digest(algorithm: .sha1, hex: try Self.sha1Extend(Self.zero, [xen.hex]))
        let stored = try TPM12StoredData.parse(file.sealedKeyBlob)
        #expect(stored.releasePCRs == [13, 17, 18])
        #expect(stored.digestAtRelease == (try PCRCompositeDigest.compute(pcrs: [13, 17, 18], values: values)))
    }

    @Test func faultsAreNamed() throws {
        let tpm = try SoftwareTPM12()
        let connection = try tpm.connect()
        var wrong = Array("not the SRK password".utf8)
        let refused = #expect(throws: TPM12Error.self) {
            try connection.createSealingKey(srk: .password(SecretBytes(consuming: &wrong)))
        }
        #expect(refused?.tpmError == .authFail)
        tpm.stop()
        let gone = #expect(throws: TPM12Error.self) { try TPM12Connection(port: tpm.tcsdPort) }
        #expect(gone?.code?.isDaemonUnreachable == true, "\(String(describing: gone))")
    }
}
