import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// Files the real `tpm_sealdata -z` wrote on a fresh swtpm TPM 1.2 (the
/// tss-file fuzz seeds): PCR 13 all zero, PCR 17-19 all ones (no launch).
@Suite struct TSSSealedFileTests {
    static func stock(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: Fixtures.project("Fuzz/corpus/tss-file/" + name))))
    }

    /// SHA1 of the TPM_PCR_COMPOSITE, with hashlib and struct: a 3-byte
    /// selection when a PCR above 15 is in it, else TPM 1.1's 2 bytes.
    static func composite(_ values: [UInt32: String]) throws -> String {
        let script = """
            import hashlib, struct, sys
            pcrs = sorted((int(p), bytes.fromhex(v)) for p, v in (a.split('=') for a in sys.argv[1:]))
            mask = bytearray(3 if pcrs[-1][0] > 15 else 2)
            for p, _ in pcrs: mask[p // 8] |= 1 << (p % 8)
            blob = struct.pack('>H', len(mask)) + bytes(mask) + struct.pack('>I', 20 * len(pcrs)) + b''.join(v for _, v in pcrs)
            print(hashlib.sha1(blob).hexdigest())
            """
        return try Command.check("python3", ["-c", script] + values.map { "\($0.key)=\($0.value)" }).trimmingCharacters(
            in: .whitespacesAndNewlines)
    }

    static let zero = String(repeating: "00", count: 20)
    static let ones = String(repeating: "ff", count: 20)

    @Test(arguments: ["pcr-info-long.sealed2", "pcr-info.sealed2", "no-pcrs.sealed2"])
    func stockFilesParseAndRenderByteForByte(name: String) throws {
        let bytes = try Self.stock(name)
        let file = try TSSSealedFile.parse(bytes)
        #expect(file.rendered() == bytes)
        #expect(file.encryptedData.count % 16 == 0)
    }

    @Test func releaseConditionsOfBothLayouts() throws {
        let long = try TPM12StoredData.parse(
            try TSSSealedFile.parse(try Self.stock("pcr-info-long.sealed2")).sealedKeyBlob)
        #expect(long.releasePCRs == [13, 17, 18, 19])
        #expect(long.localityAtRelease == 0x1F)
        let values: [UInt32: String] = [13: Self.zero, 17: Self.ones, 18: Self.ones, 19: Self.ones]
        #expect(long.digestAtRelease.hex == (try Self.composite(values)))
        var pcrs = PCRValues()
        for (pcr, hex) in values { pcrs[.sha1, pcr] = Digest(algorithm: .sha1, hex: hex) }
        #expect(long.digestAtRelease == (try PCRCompositeDigest.compute(pcrs: [19, 13, 17, 18], values: pcrs)))

        // Only PCRs below 16: tpm_sealdata makes a TPM 1.1 TPM_STORED_DATA.
        let short = try TPM12StoredData.parse(try TSSSealedFile.parse(try Self.stock("pcr-info.sealed2")).sealedKeyBlob)
        #expect(short.releasePCRs == [13])
        #expect(short.digestAtRelease.hex == (try Self.composite([13: Self.zero])))

        let unbound = try TSSSealedFile.parse(try Self.stock("no-pcrs.sealed2")).sealedKeyBlob
        let error = #expect(throws: TPM12StoredDataError.self) { try TPM12StoredData.parse(unbound) }
        #expect(error?.description.contains("no PCR") == true)
    }

    @Test func brokenFilesAreNamedErrors() throws {
        let bytes = try Self.stock("pcr-info-long.sealed2")
        let text = String(decoding: bytes, as: UTF8.self)
        for (broken, expected) in [
            (Array(bytes.prefix(bytes.count / 2)), "is missing"),
            (Array(text.replacingOccurrences(of: "-----ENC KEY-----", with: "-----ENC KEX-----").utf8), "is missing"),
            (
                Array(text.replacingOccurrences(of: "AES-256-CBC", with: "AES-128-CBC").utf8),
                "Symmetric Key: AES-256-CBC"
            ),
            (Array("hello\n".utf8), "-----BEGIN TSS-----"),
        ] {
            let error = #expect(throws: TSSSealedFileError.self) { try TSSSealedFile.parse(broken) }
            #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
        }
        let blob = try TSSSealedFile.parse(bytes).sealedKeyBlob
        #expect(throws: TPM12StoredDataError.self) { try TPM12StoredData.parse(Array(blob.prefix(30))) }
        #expect(throws: TPM12StoredDataError.self) { try TPM12StoredData.parse([]) }
    }
}
