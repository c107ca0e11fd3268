import AEMTestSupport
import Testing

@testable import AEMCore

@Suite struct DigestEngineTests {
    // FIPS 180 "abc" known answers.
    @Test func knownAnswers() {
        let abc = Array("abc".utf8)
        #expect(HashAlgorithm.sha1.hash(abc).hex == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(
            HashAlgorithm.sha256.hash(abc).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            HashAlgorithm.sha384.hash(abc).hex
                == "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7")
        #expect(
            HashAlgorithm.sha512.hash(abc).hex
                == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        )
    }

    // GB/T 32905 "abc" known answer, when this OpenSSL provides SM3.
    @Test(.enabled(if: HashAlgorithm.sm3_256.isAvailable)) func sm3KnownAnswer() {
        #expect(
            HashAlgorithm.sm3_256.hash(Array("abc".utf8)).hex
                == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
    }

    @Test func multiHasherEqualsSeparateHashesOverChunks() {
        let data = testBytes(1 << 20 | 12345, seed: 3)
        let hasher = MultiHasher([.sha256, .sha1, .sha512, .sha1])
        var offset = 0
        var step = 1
        while offset < data.count {
            let end = min(data.count, offset + step)
            data[offset..<end].withUnsafeBytes { hasher.update($0) }
            offset = end
            step = step * 3 + 1
        }
        let digests = hasher.finalize()
        #expect(digests.count == 3)
        for bank in [HashAlgorithm.sha1, .sha256, .sha512] {
            #expect(digests[bank] == bank.hash(data))
        }
    }

    @Test(arguments: [HashAlgorithm.sha1, .sha256, .sha384, .sha512])
    func extendIsHashOfConcatenation(bank: HashAlgorithm) throws {
        let start = Digest(algorithm: bank, bytes: testBytes(bank.digestSize, seed: 1))
        let measurement = Digest(algorithm: bank, bytes: testBytes(bank.digestSize, seed: 2))
        let expected = try Python.extend(bank: bank.rawValue, start: start.hex, measurements: [measurement.hex])
        #expect(start.extended(with: measurement).hex == expected)
    }

    @Test func hexRoundTripAndRejects() {
        #expect(Hex.decode("0xDEADbeef") == [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.encode([0, 0x0F, 0xF0, 0xFF]) == "000ff0ff")
        #expect(Digest(algorithm: .sha1, hex: "00") == nil)
    }

    @Test func algorithmNames() {
        #expect(HashAlgorithm(name: "SHA256") == .sha256)
        #expect(HashAlgorithm(name: "sm3") == .sm3_256)
        #expect(HashAlgorithm(tpmAlgorithmID: 0x0B) == .sha256)
        #expect(HashAlgorithm(txtDigestID: 2) == .sha256)
        #expect(HashAlgorithm(name: "md5") == nil)
    }
}
