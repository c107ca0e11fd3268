import AEMCore
import AEMTestSupport
import Foundation
import Testing

@testable import AEMTPM

@Suite struct SealTests {
    @Test func sealedObjectCarriesThePolicyOnlyAndLoads() throws {
        let tpm = try SoftwareTPM()
        try TPM2ToolsSeal.provisionSRK(on: tpm, password: "")
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

        #expect(throws: SealedObjectError.self) {
            try SealedObject.inspect(marshalledPublic: Array(object.marshalledPublic.dropLast(3)))
        }
        #expect(throws: SealedObjectError.self) {
            try SealedObject.inspect(marshalledPublic: object.marshalledPublic + [0])
        }
        #expect(throws: SealedObjectError.self) { try SealedObject.checkPrivate([0xFF, 0xFF, 1, 2]) }
    }

    /// Refusals carry the TPM's response code as a typed value, and the SRK
    /// handle in the message as tpm2-tools prints it.
    @Test func refusalsAreTypedResponseCodes() throws {
        let tpm = try SoftwareTPM()
        try TPM2ToolsSeal.provisionSRK(on: tpm, password: "right")
        let connection = try tpm.connect()
        let key = try #require(SecretBytes.random(count: 16))
        let policy = Digest(algorithm: .sha256, bytes: testBytes(32, seed: 3))
        var wrong = Array("wrong".utf8)
        let refused = #expect(throws: TPMError.self) {
            try connection.seal(key, policy: policy, srkPassword: SecretBytes(consuming: &wrong))
        }
        #expect(refused?.tpmError == .authFail, "\(String(describing: refused))")
        #expect(refused?.code?.layer == 0)

        let missing = #expect(throws: TPMError.self) {
            try connection.seal(key, policy: policy, srkPassword: nil, srk: TPMHandle(rawValue: 0x8100_0042))
        }
        #expect(missing?.description.contains("0x81000042") == true)
        #expect(missing?.tpmError != nil)

        let tooLong = #expect(throws: TPMError.self) {
            try connection.seal(SecretBytes(count: 129), policy: policy, srkPassword: nil)
        }
        #expect(tooLong?.reason == .invalidRequest("sealed data is limited to 128 bytes"))
        #expect(tooLong?.code == nil)
    }
}
