import CTspi

/// A TrouSerS TSS_RESULT: the layer in bits 12-15 (0 for the TPM itself,
/// 0x3000 for the service provider), the code below. The named statics are
/// TPM 1.2 return codes (TPM Main Part 2, section 16), which the TSS headers
/// give only as casts Swift does not import: `error.tpmError == .authFail`.
public struct TPM12ResultCode: RawRepresentable, TPMReturnCode {
    public var rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// An authorization (the SRK password) failed.
    public static let authFail = TPM12ResultCode(rawValue: 0x01)
    /// No room for another loaded key.
    public static let noSpace = TPM12ResultCode(rawValue: 0x11)
    /// The TPM is not owned: it has no SRK.
    public static let noSRK = TPM12ResultCode(rawValue: 0x12)
    /// The command may not run at the current locality.
    public static let badLocality = TPM12ResultCode(rawValue: 0x3D)
    /// The dictionary-attack defence is locking the TPM out.
    public static let defendLockRunning = TPM12ResultCode(rawValue: 0x803)

    /// The TPM's own return code, when the TPM (layer 0) answered.
    public var tpmError: TPM12ResultCode? {
        rawValue != 0 && rawValue & 0xF000 == 0 ? TPM12ResultCode(rawValue: rawValue & 0xFFF) : nil
    }

    /// tcsd is not running or not reachable (TSS service-provider codes
    /// TSS_E_COMM_FAILURE and TSS_E_CONNECTION_FAILED).
    public var isDaemonUnreachable: Bool { rawValue == 0x3011 || rawValue == 0x3103 }

    /// TrouSerS's text and the code, e.g. "Authentication failed (0x1)".
    public var description: String {
        let text = Trspi_Error_String(rawValue).map { String(cString: $0) } ?? "unknown error"
        return "\(text) (0x\(String(rawValue, radix: 16)))"
    }
}
