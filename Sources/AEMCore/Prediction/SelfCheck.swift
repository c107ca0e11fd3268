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

/// One failed comparison, with the evidence: the component, the PCR and
/// bank, both values, and the log events that went into the value.
public struct SelfCheckProblem: Sendable, Codable, Equatable, CustomStringConvertible {
    public var component: String
    public var pcr: UInt32?
    public var bank: String?
    public var expected: String?
    public var found: String?
    public var message: String
    /// Sequence numbers of the log events involved.
    public var events: [Int]

    public var description: String {
        var text = "\(component): \(message)"
        if let pcr, let bank { text += " [PCR \(pcr), \(bank)]" }
        if let expected { text += "\n    expected \(expected)" }
        if let found { text += "\n    found    \(found)" }
        if !events.isEmpty { text += "\n    log events: \(events.map(String.init).joined(separator: ", "))" }
        return text
    }
}
