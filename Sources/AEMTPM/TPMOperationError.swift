/// A failed TPM operation: what the tool was doing and why it failed. Both
/// TPM generations throw it, with their own return codes (`TPMError`,
/// `TPM12Error`).
public struct TPMOperationError<Code: TPMReturnCode>: Error, Sendable, CustomStringConvertible {
    /// What the tool was doing, e.g. "loading the sealed key".
    public var operation: String
    public var reason: Reason

    public enum Reason: Sendable, Equatable {
        /// The TPM or a layer of its software stack answered with this code.
        case response(Code)
        /// Nothing was sent: the request breaks a limit of the TPM or of
        /// AEM's format (a policy in another bank, data over 128 bytes, a
        /// digest other than SHA-1 for a TPM 1.2).
        case invalidRequest(String)
        /// The TPM answered, but without what was asked for.
        case incompleteAnswer(String)
    }

    public init(operation: String, reason: Reason) {
        self.operation = operation
        self.reason = reason
    }

    init(operation: String, code: UInt32) {
        self.init(operation: operation, reason: .response(Code(rawValue: code)))
    }

    /// The return code, when the TPM or its software stack answered.
    public var code: Code? {
        guard case let .response(code) = reason else { return nil }
        return code
    }

    /// The TPM's own error, when the TPM itself refused:
    /// `catch let error as TPMError where error.tpmError == .lockout`.
    public var tpmError: Code? { code?.tpmError }

    /// The reason in words.
    public var detail: String {
        switch reason {
        case let .response(code): return code.description
        case let .invalidRequest(text), let .incompleteAnswer(text): return text
        }
    }

    public var description: String { "\(operation) failed: \(detail)" }
}
