/// A TPM 1.2 or TrouSerS failure: the operation and why it failed. Thrown
/// by every `TPM12Connection` method.
public struct TPM12Error: Error, Sendable, CustomStringConvertible {
    /// What the tool was doing, e.g. "sealing the key".
    public var operation: String
    public var reason: Reason

    public enum Reason: Sendable, Equatable {
        /// The TPM, tcsd or TrouSerS answered with this result.
        case result(TPM12ResultCode)
        /// Nothing was sent: the request breaks a limit of TPM 1.2 (SHA-1 only).
        case invalidRequest(String)
        /// The TPM answered, but without what was asked for.
        case incompleteAnswer(String)
    }

    public init(operation: String, reason: Reason) {
        self.operation = operation
        self.reason = reason
    }

    init(operation: String, code: UInt32) {
        self.init(operation: operation, reason: .result(TPM12ResultCode(rawValue: code)))
    }

    /// The result code, when the TPM or the TSS answered.
    public var code: TPM12ResultCode? {
        guard case let .result(code) = reason else { return nil }
        return code
    }

    /// The TPM's own return code, when the TPM itself refused.
    public var tpmError: TPM12ResultCode? { code?.tpmError }

    /// The reason in words.
    public var detail: String {
        switch reason {
        case let .result(code): return code.description
        case let .invalidRequest(text), let .incompleteAnswer(text): return text
        }
    }

    public var description: String { "\(operation) failed: \(detail)" }
}
