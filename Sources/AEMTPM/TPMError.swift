/// A TPM 2.0 failure, with tpm2-tss's response code. Thrown by every
/// `TPMConnection` method.
public typealias TPMError = TPMOperationError<TPMResponseCode>
