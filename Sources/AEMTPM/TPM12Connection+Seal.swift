import AEMCore
import CTspi

/// How the SRK's authorization is given, as stock AEM gives it to
/// `tpm_sealdata`: the TSS well-known secret (`-z`) when the SRK password AEM
/// cached is empty, else the password.
public enum TPM12SRKAuthorization {
    case wellKnown
    case password(SecretBytes)
}

/// The storage key `tpm_sealdata` creates under the SRK and seals with,
/// loaded in the TPM while the connection lasts.
public struct TPM12SealingKey {
    let handle: TSS_HKEY
    /// The wrapped key (a TPM_KEY), the file's "TSS KEY" section.
    public let blob: [UInt8]
}

extension TPM12Connection {
    /// tpm-tools' usage secret for the storage key and the sealed data:
    /// the literal "password" (`TPMSEAL_SECRET`), which `tpm_unsealdata`
    /// expects. The protection is the SRK and the PCRs, not this secret.
    static let sealSecret = Array("password".utf8)

    /// TSS key flags `tpm_sealdata` uses: a volatile, non-migratable
    /// 2048-bit storage key that needs authorization. (The size flag is a
    /// cast in the TSS headers, which Swift does not import.)
    static let sealingKeyFlags =
        UInt32(TSS_KEY_TYPE_STORAGE) | 0x0000_0300 | UInt32(TSS_KEY_VOLATILE)
        | UInt32(TSS_KEY_AUTHORIZATION) | UInt32(TSS_KEY_NOT_MIGRATABLE)

    /// TPM_LOC_ZERO through TPM_LOC_FOUR: the release localities
    /// `tpm_sealdata` allows.
    static let everyLocality: UInt32 = 0x1F

    /// Creates and loads a storage key under the SRK (TPM_CreateWrapKey,
    /// TPM_LoadKey2), as `tpm_sealdata` does before sealing; then every
    /// later command of the connection goes through a transport session
    /// encrypted to that key (`encryptTransport`).
    /// `encryptingTransport` is false only for the tests' wiretap control.
    public func createSealingKey(srk authorization: TPM12SRKAuthorization, encryptingTransport: Bool = true)
        throws(TPM12Error) -> TPM12SealingKey
    {
        var srk: TSS_HKEY = 0
        try check(
            Tspi_Context_LoadKeyByUUID(context, TSS_FLAG(TSS_PS_TYPE_SYSTEM), aem_tss_srk_uuid(), &srk),
            "loading the SRK (is the TPM owned and AEM set up?)")
        var srkPolicy: TSS_HPOLICY = 0
        try check(Tspi_GetPolicyObject(srk, TSS_FLAG(TSS_POLICY_USAGE), &srkPolicy), "getting the SRK's policy")
        switch authorization {
        case .wellKnown:
            var wellKnown = [BYTE](repeating: 0, count: 20)
            try check(
                Tspi_Policy_SetSecret(srkPolicy, TSS_FLAG(TSS_SECRET_MODE_SHA1), 20, &wellKnown),
                "setting the SRK secret")
        case let .password(password):
            // The TSS takes the secret's own memory (it does not write to
            // it): no copy of it is left behind.
            let code = password.withUnsafeMutableBytes {
                Tspi_Policy_SetSecret(
                    srkPolicy, TSS_FLAG(TSS_SECRET_MODE_PLAIN), UInt32($0.count), Self.bytePointer($0))
            }
            try check(code, "setting the SRK password")
        }
        // The TSS keeps the secret only as long as it needs it.
        defer { Tspi_Policy_FlushSecret(srkPolicy) }

        var key: TSS_HKEY = 0
        try check(
            Tspi_Context_CreateObject(context, TSS_FLAG(TSS_OBJECT_TYPE_RSAKEY), Self.sealingKeyFlags, &key),
            "preparing the sealing key")
        try assignSealSecret(to: key)
        try check(Tspi_Key_CreateKey(key, srk, 0), "creating the sealing key under the SRK")
        try check(Tspi_Key_LoadKey(key, srk), "loading the sealing key")
        // Nothing secret went to the TPM so far; from here on (TPM_Seal of
        // the secrets' keys) everything goes through an encrypted transport
        // session keyed to the sealing key just made.
        if encryptingTransport { try encryptTransport(to: key) }
        return TPM12SealingKey(
            handle: key,
            blob: try attribute(key, TSS_FLAG(TSS_TSPATTRIB_KEY_BLOB), TSS_FLAG(TSS_TSPATTRIB_KEYBLOB_BLOB)))
    }

    /// TPM_Seal of `data` with `key`, released only when the PCRs hold
    /// `releasePCRs` (SHA-1 values) — given, not read, so that they can be
    /// the predicted ones. As `tpm_sealdata` does, a PCR above 15 makes it
    /// a TPM_STORED_DATA12 with a TPM_PCR_INFO_LONG releasable at any
    /// locality. Returns the sealed blob, the file's "ENC KEY" section.
    public func seal(_ data: SecretBytes, with key: TPM12SealingKey, releasePCRs: [UInt32: Digest]) throws(TPM12Error)
        -> [UInt8]
    {
        var composite: TSS_HPCRS = 0
        if !releasePCRs.isEmpty {
            let long = releasePCRs.keys.contains { $0 > 15 }
            try check(
                Tspi_Context_CreateObject(
                    context, TSS_FLAG(TSS_OBJECT_TYPE_PCRS), long ? TSS_FLAG(TSS_PCRS_STRUCT_INFO_LONG) : 0, &composite),
                "preparing the PCR composite")
            for (pcr, value) in releasePCRs.sorted(by: { $0.key < $1.key }) {
                guard value.algorithm == .sha1, value.bytes.count == 20 else {
                    throw TPM12Error(
                        operation: "sealing", reason: .invalidRequest("PCR \(pcr) must be given as a SHA-1 value"))
                }
                var bytes = value.bytes
                try check(
                    Tspi_PcrComposite_SetPcrValue(composite, pcr, 20, &bytes), "setting PCR \(pcr) in the composite")
            }
            if long {
                try check(
                    Tspi_PcrComposite_SetPcrLocality(composite, Self.everyLocality), "setting the release localities")
            }
        }
        defer { if composite != 0 { Tspi_Context_CloseObject(context, composite) } }

        var sealed: TSS_HENCDATA = 0
        try check(
            Tspi_Context_CreateObject(context, TSS_FLAG(TSS_OBJECT_TYPE_ENCDATA), TSS_FLAG(TSS_ENCDATA_SEAL), &sealed),
            "preparing the sealed data")
        defer { Tspi_Context_CloseObject(context, sealed) }
        try assignSealSecret(to: sealed)
        let code = data.withUnsafeMutableBytes {
            Tspi_Data_Seal(sealed, key.handle, UInt32($0.count), Self.bytePointer($0), composite)
        }
        try check(code, "sealing to the predicted PCRs (TPM_Seal)")
        return try attribute(sealed, TSS_FLAG(TSS_TSPATTRIB_ENCDATA_BLOB), TSS_FLAG(TSS_TSPATTRIB_ENCDATABLOB_BLOB))
    }

    /// Wraps every later command of this context in a TPM 1.2 transport
    /// session (TPM_EstablishTransport, TPM_ExecuteTransport) whose
    /// commands and answers are encrypted (MGF1) with a secret sent to the
    /// TPM under `key`'s public key: the data TPM_Seal seals then crosses
    /// the bus encrypted, as a TPM 2.0 seal's does in its salted session.
    /// `key` is the storage key just created, whose public part the TSS
    /// knows (the SRK's cannot be read without the owner's secret).
    func encryptTransport(to key: TSS_HKEY) throws(TPM12Error) {
        try check(
            Tspi_Context_SetTransEncryptionKey(context, key), "setting the transport session's encryption key")
        try check(
            Tspi_SetAttribUint32(
                context, TSS_FLAG(TSS_TSPATTRIB_CONTEXT_TRANSPORT), TSS_FLAG(TSS_TSPATTRIB_CONTEXTTRANS_MODE),
                UInt32(TSS_TSPATTRIB_TRANSPORT_DEFAULT_ENCRYPTION)),
            "asking for transport encryption")
        try check(
            Tspi_SetAttribUint32(
                context, TSS_FLAG(TSS_TSPATTRIB_CONTEXT_TRANSPORT), TSS_FLAG(TSS_TSPATTRIB_CONTEXTTRANS_CONTROL),
                UInt32(TSS_TSPATTRIB_ENABLE_TRANSPORT)),
            "starting the encrypted transport session")
    }

    /// A secret's memory as the `BYTE *` the TSS 1.2 API takes for input.
    private static func bytePointer(_ bytes: UnsafeMutableRawBufferPointer) -> UnsafeMutablePointer<BYTE>? {
        bytes.baseAddress?.assumingMemoryBound(to: BYTE.self)
    }

    private func assignSealSecret(to object: TSS_HOBJECT) throws(TPM12Error) {
        var policy: TSS_HPOLICY = 0
        try check(
            Tspi_Context_CreateObject(context, TSS_FLAG(TSS_OBJECT_TYPE_POLICY), TSS_FLAG(TSS_POLICY_USAGE), &policy),
            "preparing a usage policy")
        var secret = Self.sealSecret
        try check(
            Tspi_Policy_SetSecret(policy, TSS_FLAG(TSS_SECRET_MODE_PLAIN), UInt32(secret.count), &secret),
            "setting the usage secret")
        try check(Tspi_Policy_AssignToObject(policy, object), "assigning the usage secret")
    }

    private func attribute(_ object: TSS_HOBJECT, _ flag: TSS_FLAG, _ subFlag: TSS_FLAG) throws(TPM12Error) -> [UInt8] {
        var length: UInt32 = 0
        var bytes: UnsafeMutablePointer<BYTE>?
        try check(Tspi_GetAttribData(object, flag, subFlag, &length, &bytes), "reading a TSS blob")
        defer { Tspi_Context_FreeMemory(context, bytes) }
        guard let bytes else { return [] }
        return Array(UnsafeBufferPointer(start: bytes, count: Int(length)))
    }
}
