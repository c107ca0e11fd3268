import CTSS2

/// A TSS2 response code: the TPM's own (layer 0) or one of a TSS layer
/// (ESAPI, marshalling, TCTI). The named statics are the TPM's error
/// numbers, so callers match them directly:
/// `catch let error as TPMError where error.tpmError == .lockout`.
public struct TPMResponseCode: RawRepresentable, TPMReturnCode {
    public var rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The dictionary-attack protection is in lockout.
    public static let lockout = TPMResponseCode(rawValue: AEM_RC_LOCKOUT)
    /// An authorization failed and counted against the lockout.
    public static let authFail = TPMResponseCode(rawValue: AEM_RC_AUTH_FAIL)
    /// An authorization failed without counting (no DA protection).
    public static let badAuth = TPMResponseCode(rawValue: AEM_RC_BAD_AUTH)
    /// A policy session's digest does not match the object's authPolicy.
    public static let policyFail = TPMResponseCode(rawValue: AEM_RC_POLICY_FAIL)
    /// No room for another loaded object or session.
    public static let objectMemory = TPMResponseCode(rawValue: AEM_RC_OBJECT_MEMORY)
    public static let sessionMemory = TPMResponseCode(rawValue: AEM_RC_SESSION_MEMORY)
    /// The command may not run at the current locality.
    public static let locality = TPMResponseCode(rawValue: AEM_RC_LOCALITY)

    /// The layer that answered (bits 16-23): 0 for the TPM itself.
    public var layer: UInt32 { (rawValue & AEM_RC_LAYER_MASK) >> 16 }

    /// The TPM's error number comparable with the statics above: for a
    /// format-one code (bit 7) without the handle, session or parameter it
    /// names; for format zero the code itself (version and warning bits
    /// included). Nil when a TSS layer answered, not the TPM.
    public var tpmError: TPMResponseCode? {
        guard rawValue != 0, layer == 0 else { return nil }
        if rawValue & AEM_RC_FORMAT_ONE != 0 { return TPMResponseCode(rawValue: (rawValue & 0x3F) | AEM_RC_FORMAT_ONE) }
        return TPMResponseCode(rawValue: rawValue & 0xFFF)
    }

    /// Whether the TCTI loader refused the configuration string itself (an
    /// unknown TCTI name or a malformed option): an input error, not a TPM one.
    public var isUnusableTCTIConfiguration: Bool {
        let tctiLayer: UInt32 = 10
        let base = rawValue & 0xFFFF
        return layer == tctiLayer
            && (base == UInt32(TSS2_BASE_RC_NOT_SUPPORTED) || base == UInt32(TSS2_BASE_RC_BAD_VALUE))
    }

    /// tpm2-tss's decoding, e.g. "tpm:session(1):the authorization HMAC check failed and DA counter incremented".
    public var description: String {
        Tss2_RC_Decode(rawValue).map { String(cString: $0) } ?? "0x" + String(rawValue, radix: 16)
    }
}
