import AEMCore
import AEMTestSupport
import Foundation
import Testing
@testable import AEMTPM

@Suite struct SealTests {
    @Test func sealedObjectCarriesThePolicyOnlyAndLoads() throws {
        let tpm = try SoftwareTPM()
        try StockAEM.provisionSRK(on: tpm, password: "")
        let policy = Digest(algorithm: .sha256, bytes: testBytes(32, seed: 12))
        let connection = try tpm.connect()
        let key = try #require(SecretBytes.random(count: 16))
        let object = try connection.seal(key, policy: policy, srkPassword: SecretBytes(count: 0))
        try connection.checkLoads(object, srkPassword: SecretBytes(count: 0))
        let summary = try SealedObject.inspect(marshalledPublic: object.marshalledPublic)
        #expect(summary.authPolicy == policy.bytes)
        #expect(summary.isPolicyOnly)
        #expect(summary.nameAlgorithm == 0x000B)
        try SealedObject.checkPrivate(object.marshalledPrivate)

        #expect(throws: SealedObject.Malformed.self) { try SealedObject.inspect(marshalledPublic: Array(object.marshalledPublic.dropLast(3))) }
        #expect(throws: SealedObject.Malformed.self) { try SealedObject.inspect(marshalledPublic: object.marshalledPublic + [0]) }
        #expect(throws: SealedObject.Malformed.self) { try SealedObject.checkPrivate([0xFF, 0xFF, 1, 2]) }
    }
}
