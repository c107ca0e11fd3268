/// Whether a part of a module (its file, its command line) changed since
/// the current boot, with the evidence that says so.
public struct ChangeFinding: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        case unchanged
        case changed
        /// No evidence either way: treated as changed (it cannot vouch for the model).
        case unknown
    }

    public var state: State
    /// The rung of the evidence ladder the verdict stands on.
    public var rung: ChangeEvidence
    /// The evidence in words.
    public var evidence: String

    public init(state: State, rung: ChangeEvidence, evidence: String) {
        self.state = state
        self.rung = rung
        self.evidence = evidence
    }
}
