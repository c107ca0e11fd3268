/// A TPM 1.2 or TrouSerS failure, with the TSS result. Thrown by every
/// `TPM12Connection` method.
public typealias TPM12Error = TPMOperationError<TPM12ResultCode>
