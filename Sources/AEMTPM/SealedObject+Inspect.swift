import AEMCore
import CTSS2

/// What a `key.pub` says about the sealed object, read with the TSS's own
/// unmarshalling (the file is untrusted input: a damaged or foreign file
/// must give an error, never a crash).
public struct SealedObjectSummary: Sendable, Equatable {
    public var nameAlgorithm: UInt16
    public var attributes: UInt32
    public var authPolicy: [UInt8]

    /// fixedTPM | fixedParent and no userWithAuth: only the policy unseals it.
    public var isPolicyOnly: Bool {
        attributes & 0x2 != 0 && attributes & 0x10 != 0 && attributes & 0x40 == 0
    }
}

extension SealedObject {
    /// Reads a marshalled TPM2B_PUBLIC (`key.pub`); the whole buffer must be used.
    public static func inspect(marshalledPublic bytes: [UInt8]) throws(SealedObjectError) -> SealedObjectSummary {
        var publicArea = TPM2B_PUBLIC()
        var offset = 0
        let code = Tss2_MU_TPM2B_PUBLIC_Unmarshal(bytes, bytes.count, &offset, &publicArea)
        guard code == TSS2_RC_SUCCESS else {
            throw .notPublicArea(TPMResponseCode(rawValue: code))
        }
        guard offset == bytes.count else { throw .trailingBytes(count: bytes.count - offset) }
        let policy = withUnsafeBytes(of: publicArea.publicArea.authPolicy.buffer) {
            Array($0.prefix(Int(min(publicArea.publicArea.authPolicy.size, UInt16($0.count)))))
        }
        return SealedObjectSummary(
            nameAlgorithm: publicArea.publicArea.nameAlg, attributes: publicArea.publicArea.objectAttributes,
            authPolicy: policy)
    }

    /// Reads a marshalled TPM2B_PRIVATE (`key.priv`) and checks its framing.
    public static func checkPrivate(_ bytes: [UInt8]) throws(SealedObjectError) {
        var privateArea = TPM2B_PRIVATE()
        var offset = 0
        let code = Tss2_MU_TPM2B_PRIVATE_Unmarshal(bytes, bytes.count, &offset, &privateArea)
        guard code == TSS2_RC_SUCCESS, offset == bytes.count else { throw .notPrivateArea }
    }
}
