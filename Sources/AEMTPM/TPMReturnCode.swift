/// A return code of either TPM generation's software stack: tpm2-tss's
/// `TSS2_RC` (`TPMResponseCode`) or TrouSerS's `TSS_RESULT`
/// (`TPM12ResultCode`).
public protocol TPMReturnCode: Hashable, Sendable, CustomStringConvertible {
    init(rawValue: UInt32)
    var rawValue: UInt32 { get }
    /// The TPM's own error, comparable with the type's named statics, when
    /// the TPM itself answered (not the TSS, the transport or the daemon).
    var tpmError: Self? { get }
}
