/// A TPM 2.0 failure: the operation and why it failed. Thrown by every
/// `TPMConnection` method.
public struct TPMError: Error, Sendable, CustomStringConvertible {
    /// What the tool was doing, e.g. "loading the sealed key".
    public var operation: String
    public var reason: Reason

    public enum Reason: Sendable, Equatable {
        /// The TPM or a TSS layer answered with this code.
        case response(TPMResponseCode)
        /// Nothing was sent: the request breaks a limit the TPM or AEM's
        /// format imposes (a policy in another bank, data over 128 bytes).
        case invalidRequest(String)
        /// The TPM answered, but without what was asked for.
        case incompleteAnswer(String)
    }

    public init(operation: String, reason: Reason) {
        self.operation = operation
        self.reason = reason
    }

    init(operation: String, code: UInt32) {
        self.init(operation: operation, reason: .response(TPMResponseCode(rawValue: code)))
    }

    /// The response code, when the TPM or TSS answered.
    public var code: TPMResponseCode? {
        guard case let .response(code) = reason else { return nil }
        return code
    }

    /// The TPM's own error number, when the TPM itself refused (see
    /// `TPMResponseCode.tpmError`): `error.tpmError == .lockout`.
    public var tpmError: TPMResponseCode? { code?.tpmError }

    /// The reason in words.
    public var detail: String {
        switch reason {
        case let .response(code): return code.description
        case let .invalidRequest(text), let .incompleteAnswer(text): return text
        }
    }

    public var description: String { "\(operation) failed: \(detail)" }
}
