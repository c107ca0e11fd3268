import AEMCore
import CTSS2

/// A sealed data object as stock AEM stores it: `key.pub` and `key.priv`,
/// the TSS-marshalled TPM2B_PUBLIC and TPM2B_PRIVATE that `tpm2_load` reads.
public struct SealedObject: Sendable, Equatable {
    public var marshalledPublic: [UInt8]
    public var marshalledPrivate: [UInt8]
}

extension TPMConnection {
    /// AEM's storage root key: a persistent handle in the owner hierarchy.
    public static let aemSRKHandle: UInt32 = 0x8100_0001

    /// Object attributes of the sealed key: fixedTPM | fixedParent, and
    /// deliberately not userWithAuth (only the PCR policy can unseal it) nor
    /// sensitiveDataOrigin (the data comes from us).
    static let sealedObjectAttributes: UInt32 = 0x0000_0002 | 0x0000_0010

    /// Whether the SRK exists.
    public func hasPersistentKey(_ handle: UInt32 = aemSRKHandle) -> Bool {
        var object: ESYS_TR = ESYS_TR_NONE
        guard Esys_TR_FromTPMPublic(esys, handle, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &object) == TSS2_RC_SUCCESS else { return false }
        Esys_TR_Close(esys, &object)
        return true
    }

    /// Seals `data` under the SRK with `policy` as the object's authPolicy
    /// (the PolicyPCR digest of the predicted values), in one TPM2_Create.
    public func seal(_ data: SecretBytes, policy: Digest, srkPassword: SecretBytes?, srk: UInt32 = aemSRKHandle) throws(TPMError) -> SealedObject {
        guard policy.algorithm == .sha256 else { throw TPMError(operation: "sealing", detail: "the policy must be a SHA-256 digest") }
        guard data.count <= 128 else { throw TPMError(operation: "sealing", detail: "sealed data is limited to 128 bytes") }

        var parent = try openSRK(srk, password: srkPassword)
        defer { Esys_TR_Close(esys, &parent) }

        var sensitive = TPM2B_SENSITIVE_CREATE()
        sensitive.sensitive.data.size = UInt16(data.count)
        withUnsafeMutableBytes(of: &sensitive.sensitive.data.buffer) { target in
            data.withUnsafeBytes { target.copyMemory(from: $0) }
        }
        defer { withUnsafeMutableBytes(of: &sensitive) { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) } }

        var template = TPM2B_PUBLIC()
        template.publicArea.type = TPM2_ALG_KEYEDHASH
        template.publicArea.nameAlg = TPM2_ALG_SHA256
        template.publicArea.objectAttributes = Self.sealedObjectAttributes
        template.publicArea.authPolicy.size = UInt16(policy.bytes.count)
        withUnsafeMutableBytes(of: &template.publicArea.authPolicy.buffer) { $0.copyBytes(from: policy.bytes) }
        template.publicArea.parameters.keyedHashDetail.scheme.scheme = TPM2_ALG_NULL
        template.publicArea.unique.keyedHash.size = 0

        var outside = TPM2B_DATA()
        var creationPCRs = TPML_PCR_SELECTION()
        var outPrivate: UnsafeMutablePointer<TPM2B_PRIVATE>?
        var outPublic: UnsafeMutablePointer<TPM2B_PUBLIC>?
        var creationData: UnsafeMutablePointer<TPM2B_CREATION_DATA>?
        var creationHash: UnsafeMutablePointer<TPM2B_DIGEST>?
        var ticket: UnsafeMutablePointer<TPMT_TK_CREATION>?
        let created = Esys_Create(
            esys, parent, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &sensitive, &template, &outside, &creationPCRs,
            &outPrivate, &outPublic, &creationData, &creationHash, &ticket)
        defer {
            Esys_Free(outPrivate)
            Esys_Free(outPublic)
            Esys_Free(creationData)
            Esys_Free(creationHash)
            Esys_Free(ticket)
        }
        try check(created, "creating the sealed key under the SRK")
        guard let outPublic, let outPrivate else { throw TPMError(operation: "creating the sealed key", detail: "the TPM returned no object") }
        return SealedObject(marshalledPublic: try marshal(outPublic), marshalledPrivate: try marshal(outPrivate))
    }

    /// AEM's SRK as an ESYS object, with its password set for the next
    /// command that uses it. The caller closes it.
    private func openSRK(_ srk: UInt32, password: SecretBytes?) throws(TPMError) -> ESYS_TR {
        var parent: ESYS_TR = ESYS_TR_NONE
        let lookup = Esys_TR_FromTPMPublic(esys, srk, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &parent)
        guard lookup == TSS2_RC_SUCCESS else {
            throw TPMError(operation: "finding AEM's storage root key at 0x\(String(srk, radix: 16)) (is AEM set up on this TPM?)", code: lookup)
        }
        var auth = TPM2B_AUTH()
        defer { withUnsafeMutableBytes(of: &auth) { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) } }
        do throws(TPMError) {
            if let password {
                guard password.count <= MemoryLayout.size(ofValue: auth.buffer) else {
                    throw TPMError(operation: "using the SRK password", detail: "it is longer than the TPM accepts")
                }
                auth.size = UInt16(password.count)
                withUnsafeMutableBytes(of: &auth.buffer) { target in password.withUnsafeBytes { target.copyMemory(from: $0) } }
            }
            try check(Esys_TR_SetAuth(esys, parent, &auth), "setting the SRK password")
        } catch {
            Esys_TR_Close(esys, &parent)
            throw error
        }
        return parent
    }

    private func marshal(_ value: UnsafeMutablePointer<TPM2B_PUBLIC>) throws(TPMError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: MemoryLayout<TPM2B_PUBLIC>.size + 16)
        var offset = 0
        try check(Tss2_MU_TPM2B_PUBLIC_Marshal(value, &buffer, buffer.count, &offset), "marshalling key.pub")
        return Array(buffer.prefix(offset))
    }

    private func marshal(_ value: UnsafeMutablePointer<TPM2B_PRIVATE>) throws(TPMError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: MemoryLayout<TPM2B_PRIVATE>.size + 16)
        var offset = 0
        try check(Tss2_MU_TPM2B_PRIVATE_Marshal(value, &buffer, buffer.count, &offset), "marshalling key.priv")
        return Array(buffer.prefix(offset))
    }
}

extension TPMConnection {
    /// Loads a sealed object under the SRK and flushes it again: proves that
    /// `key.pub`/`key.priv` are what `tpm2_load` will accept at boot.
    public func checkLoads(_ object: SealedObject, srkPassword: SecretBytes?, srk: UInt32 = aemSRKHandle) throws(TPMError) {
        var parent = try openSRK(srk, password: srkPassword)
        defer { Esys_TR_Close(esys, &parent) }

        var publicArea = TPM2B_PUBLIC()
        var privateArea = TPM2B_PRIVATE()
        var offset = 0
        try check(Tss2_MU_TPM2B_PUBLIC_Unmarshal(object.marshalledPublic, object.marshalledPublic.count, &offset, &publicArea), "reading key.pub")
        offset = 0
        try check(Tss2_MU_TPM2B_PRIVATE_Unmarshal(object.marshalledPrivate, object.marshalledPrivate.count, &offset, &privateArea), "reading key.priv")
        var loaded: ESYS_TR = ESYS_TR_NONE
        try check(Esys_Load(esys, parent, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &privateArea, &publicArea, &loaded), "loading the sealed key")
        Esys_FlushContext(esys, loaded)
    }
}
