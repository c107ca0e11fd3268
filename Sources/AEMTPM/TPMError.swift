import CTSS2

/// A TPM or TSS failure: the operation and the response code, decoded.
public struct TPMError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    /// The TSS2 response code (0 when the failure is not a TPM response).
    public var code: UInt32
    public var detail: String

    public init(operation: String, code: UInt32) {
        self.operation = operation
        self.code = code
        self.detail = Tss2_RC_Decode(code).map { String(cString: $0) } ?? String(format: "0x%08x", code)
    }

    public init(operation: String, detail: String) {
        self.operation = operation
        self.code = 0
        self.detail = detail
    }

    /// The response code comparable with the `TPM2_RC_*` constants: for a
    /// format-one code (bit 7) the error number without the handle, session
    /// or parameter it names; for format zero the code itself (version and
    /// warning bits included), in both cases without the TSS layer.
    public var baseCode: UInt32 {
        let withoutLayer = code & ~AEM_RC_LAYER_MASK
        if withoutLayer & AEM_RC_FORMAT_ONE != 0 { return (withoutLayer & 0x3F) | AEM_RC_FORMAT_ONE }
        return withoutLayer & 0xFFF
    }

    /// Whether the response came from the TPM itself (not the TSS or transport).
    public var isTPMResponse: Bool { code != 0 && code & AEM_RC_LAYER_MASK == 0 }

    /// Whether the TCTI loader refused the configuration string itself (an
    /// unknown TCTI name or a malformed option): an input error, not a TPM one.
    public var isUnusableTCTIConfiguration: Bool {
        let tctiLayer: UInt32 = 10 << 16
        let base = code & 0xFFFF
        return code & AEM_RC_LAYER_MASK == tctiLayer && (base == UInt32(TSS2_BASE_RC_NOT_SUPPORTED) || base == UInt32(TSS2_BASE_RC_BAD_VALUE))
    }

    public var isLockout: Bool { isTPMResponse && baseCode == AEM_RC_LOCKOUT }
    public var isAuthorizationFailure: Bool {
        isTPMResponse && (baseCode == AEM_RC_AUTH_FAIL || baseCode == AEM_RC_BAD_AUTH)
    }
    public var isPolicyFailure: Bool { isTPMResponse && baseCode == AEM_RC_POLICY_FAIL }
    public var isObjectMemoryFull: Bool {
        isTPMResponse && (baseCode == AEM_RC_OBJECT_MEMORY || baseCode == AEM_RC_SESSION_MEMORY)
    }

    public var description: String { "\(operation) failed: \(detail)" }
}
