/// The proof that the prediction model fits this machine: (a) the current
/// boot's log replays to the live PCRs, and (b) every module that did not
/// change since the current boot recomputes to its digest in the log.
public struct SelfCheck: Sendable {
    /// Raw values are part of `predict --json`.
    public enum Status: String, Sendable, Codable {
        /// (a) holds and every unchanged module matched.
        case ok
        /// (a) holds but no module could vouch for the model (all changed).
        case unconfirmed
        /// Something did not match: do not seal unless forced.
        case mismatch
        /// No live PCRs to compare with (`--no-tpm`).
        case unavailable
    }

    public var status: Status
    public var problems: [SelfCheckProblem]
    /// Modules whose recomputed measurement reproduced the log.
    public var verifiedModules: [Int]
}
