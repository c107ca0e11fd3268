import AEMCore
import CTSS2

/// A sealed data object as stock AEM stores it: `key.pub` and `key.priv`,
/// the TSS-marshalled TPM2B_PUBLIC and TPM2B_PRIVATE that `tpm2_load` reads.
public struct SealedObject: Sendable, Equatable {
    public var marshalledPublic: [UInt8]
    public var marshalledPrivate: [UInt8]
}

extension TPMConnection {
    /// Object attributes of the sealed key: fixedTPM | fixedParent, and
    /// deliberately not userWithAuth (only the PCR policy can unseal it) nor
    /// sensitiveDataOrigin (the data comes from us).
    static let sealedObjectAttributes: UInt32 = 0x0000_0002 | 0x0000_0010

    /// Whether the SRK exists.
    public func hasPersistentKey(_ handle: TPMHandle = .aemSRK) -> Bool {
        var object: ESYS_TR = ESYS_TR_NONE
        guard
            Esys_TR_FromTPMPublic(esys, handle.rawValue, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &object)
                == TSS2_RC_SUCCESS
        else { return false }
        Esys_TR_Close(esys, &object)
        return true
    }

    /// Seals `data` under the SRK with `policy` as the object's authPolicy
    /// (the PolicyPCR digest of the predicted values), in one TPM2_Create.
    public func seal(_ data: SecretBytes, policy: Digest, srkPassword: SecretBytes?, srk: TPMHandle = .aemSRK)
        throws(TPMError) -> SealedObject
    {
        guard policy.algorithm == .sha256 else {
            throw TPMError(operation: "sealing", reason: .invalidRequest("the policy must be a SHA-256 digest"))
        }
        guard data.count <= 128 else {
            throw TPMError(operation: "sealing", reason: .invalidRequest("sealed data is limited to 128 bytes"))
        }
        return try withSRK(srk, password: srkPassword) { parent, session throws(TPMError) in
            try create(data, policy: policy, under: parent, session: session)
        }
    }

    /// TPM2_Create of the sealed data object under `parent`, authorized
    /// and parameter-encrypted by `session`: the sealed data (the first
    /// command parameter, TPM2B_SENSITIVE_CREATE) crosses the bus AES-CFB
    /// encrypted, and the SRK password only as an HMAC key.
    private func create(_ data: SecretBytes, policy: Digest, under parent: ESYS_TR, session: ESYS_TR)
        throws(TPMError) -> SealedObject
    {
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
            esys, parent, session, ESYS_TR_NONE, ESYS_TR_NONE, &sensitive, &template, &outside, &creationPCRs,
            &outPrivate, &outPublic, &creationData, &creationHash, &ticket)
        defer {
            Esys_Free(outPrivate)
            Esys_Free(outPublic)
            Esys_Free(creationData)
            Esys_Free(creationHash)
            Esys_Free(ticket)
        }
        try check(created, "creating the sealed key under the SRK")
        guard let outPublic, let outPrivate else {
            throw TPMError(
                operation: "creating the sealed key", reason: .incompleteAnswer("the TPM returned no object"))
        }
        return SealedObject(marshalledPublic: try marshal(outPublic), marshalledPrivate: try marshal(outPrivate))
    }

    /// Runs `body` with the SRK at `srk` as an ESYS object whose password
    /// is set, and a session for the command `body` sends to use on it:
    /// an HMAC session salted with the SRK's own public key, with
    /// parameter encryption (AES-128-CFB) both ways. A bus interposer then
    /// sees neither the SRK password (only an HMAC keyed by it) nor the
    /// first parameter of the command or its answer. The object and the
    /// session are closed after `body`, whatever happens.
    private func withSRK<Result>(
        _ srk: TPMHandle, password: SecretBytes?, _ body: (ESYS_TR, ESYS_TR) throws(TPMError) -> Result
    ) throws(TPMError) -> Result {
        var parent: ESYS_TR = ESYS_TR_NONE
        let lookup = Esys_TR_FromTPMPublic(esys, srk.rawValue, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &parent)
        guard lookup == TSS2_RC_SUCCESS else {
            throw TPMError(
                operation: "finding AEM's storage root key at \(srk) (is AEM set up on this TPM?)", code: lookup)
        }
        defer { Esys_TR_Close(esys, &parent) }
        var auth = TPM2B_AUTH()
        defer { withUnsafeMutableBytes(of: &auth) { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) } }
        if let password {
            guard password.count <= MemoryLayout.size(ofValue: auth.buffer) else {
                throw TPMError(
                    operation: "using the SRK password", reason: .invalidRequest("it is longer than the TPM accepts"))
            }
            auth.size = UInt16(password.count)
            withUnsafeMutableBytes(of: &auth.buffer) { target in
                password.withUnsafeBytes { target.copyMemory(from: $0) }
            }
        }
        try check(Esys_TR_SetAuth(esys, parent, &auth), "setting the SRK password")
        let session = try encryptedSession(saltedBy: parent)
        defer { Esys_FlushContext(esys, session) }
        return try body(parent, session)
    }

    /// An HMAC session salted by `key` (a storage key: the salt is
    /// encrypted to its public part, so only this TPM learns it), bound to
    /// no object, whose commands and responses have their first parameter
    /// encrypted with AES-128 in CFB mode.
    private func encryptedSession(saltedBy key: ESYS_TR) throws(TPMError) -> ESYS_TR {
        var symmetric = TPMT_SYM_DEF()
        symmetric.algorithm = TPM2_ALG_AES
        symmetric.keyBits.aes = 128
        symmetric.mode.aes = TPM2_ALG_CFB
        var session: ESYS_TR = ESYS_TR_NONE
        try check(
            Esys_StartAuthSession(
                esys, key, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, nil, TPM2_SE_HMAC, &symmetric,
                TPM2_ALG_SHA256, &session),
            "starting a session salted by the SRK")
        let attributes = TPMA_SESSION(TPMA_SESSION_DECRYPT | TPMA_SESSION_ENCRYPT | TPMA_SESSION_CONTINUESESSION)
        do {
            try check(Esys_TRSess_SetAttributes(esys, session, attributes, 0xFF), "setting parameter encryption")
        } catch {
            Esys_FlushContext(esys, session)
            throw error
        }
        return session
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
    public func checkLoads(_ object: SealedObject, srkPassword: SecretBytes?, srk: TPMHandle = .aemSRK) throws(TPMError)
    {
        try withSRK(srk, password: srkPassword) { parent, session throws(TPMError) in
            try load(object, under: parent, session: session)
        }
    }

    /// TPM2_Load of `object` under `parent`, flushed again at once.
    private func load(_ object: SealedObject, under parent: ESYS_TR, session: ESYS_TR) throws(TPMError) {
        var publicArea = TPM2B_PUBLIC()
        var privateArea = TPM2B_PRIVATE()
        var offset = 0
        try check(
            Tss2_MU_TPM2B_PUBLIC_Unmarshal(
                object.marshalledPublic, object.marshalledPublic.count, &offset, &publicArea), "reading key.pub")
        offset = 0
        try check(
            Tss2_MU_TPM2B_PRIVATE_Unmarshal(
                object.marshalledPrivate, object.marshalledPrivate.count, &offset, &privateArea), "reading key.priv")
        var loaded: ESYS_TR = ESYS_TR_NONE
        try check(
            Esys_Load(esys, parent, session, ESYS_TR_NONE, ESYS_TR_NONE, &privateArea, &publicArea, &loaded),
            "loading the sealed key")
        Esys_FlushContext(esys, loaded)
    }
}
