import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

@Suite struct SecretBytesTests {
    /// An empty secret is empty (an empty SRK password selects the
    /// well-known secret on TPM 1.2: a phantom byte would be a wrong password).
    @Test func emptySecretsAreEmpty() throws {
        #expect(SecretBytes(count: 0).count == 0)
        SecretBytes(count: 0).withUnsafeBytes { #expect($0.isEmpty) }
        var none = [UInt8]()
        #expect(SecretBytes(consuming: &none).count == 0)
        let directory = try TemporaryDirectory()
        #expect(try SecretBytes.read(path: try directory.write("empty", []), limit: 16).count == 0)
    }

    @Test func consumingWipesTheSourceAndHexIsLowercase() {
        var bytes: [UInt8] = [0x00, 0xAB, 0x7F]
        let secret = SecretBytes(consuming: &bytes)
        #expect(bytes.isEmpty)
        #expect(secret.count == 3)
        secret.lowercaseHex().withUnsafeBytes { #expect(Array($0) == Array("00ab7f".utf8)) }
    }
}
