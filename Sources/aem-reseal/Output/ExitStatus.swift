/// The exit statuses every command follows: one table, printed in the man
/// page (the root command's discussion is generated from it) and copied in
/// the README and the user guide, which a test keeps equal to this list.
enum ExitStatus: Int32, CaseIterable, Sendable {
    /// Done: predicted, staged, nothing to seal, verified, rolled back, ready.
    case success = 0
    /// A check failed: the prediction's self-check found a mismatch (nothing
    /// was sealed), `verify` found other PCRs, `checklist` is not ready, or
    /// `record` was given another boot's log.
    case mismatch = 1
    /// An input is unreadable, malformed or missing: a file, the boot entry,
    /// the AEM set-up, `--root`.
    case badInput = 2
    /// The TPM could not be reached, timed out, refused a password, is in
    /// dictionary-attack lockout, or refused an operation.
    case tpmFailure = 3
    /// The current boot's DRTM log does not fit this TPM's version.
    case unsupported = 4
    /// An answer or a password was needed and could not be asked for
    /// (`--non-interactive`, no terminal).
    case needsUser = 5
    /// The user answered no: nothing was changed.
    case declined = 6
    /// The new seal is on dom0's disk but not on the AEM media AEM reads at
    /// boot: do not reboot yet.
    case notOnMedia = 7
    /// A file could not be written or moved (permissions, full or read-only
    /// file system); what is on disk is still one whole set.
    case systemFailure = 8
    /// A usage error: an unknown or conflicting option.
    case usage = 64
    /// Another aem-reseal run holds the lock; nothing was done. Try again.
    case busy = 75

    /// One line of the table, as the documentation prints it.
    var meaning: String {
        switch self {
        case .success: "success: predicted, staged, nothing to seal, verified, rolled back, or ready"
        case .mismatch:
            "a check failed: self-check mismatch (nothing sealed), verify found other PCRs, checklist not ready"
        case .badInput:
            "bad input: a file, the boot entry, the AEM set-up or --root is unreadable, malformed or missing"
        case .tpmFailure: "TPM failure: unreachable, timed out, wrong SRK password, lockout, or refused"
        case .unsupported: "the current boot's DRTM log does not fit this TPM's version"
        case .needsUser: "an answer or password was needed and could not be asked for (--non-interactive, no terminal)"
        case .declined: "you answered no: nothing was changed"
        case .notOnMedia: "sealed on dom0, but the AEM media does not hold the new seal: do not reboot yet"
        case .systemFailure:
            "a file could not be written (permissions, full or read-only file system); nothing is half-written"
        case .usage: "usage error: an unknown or conflicting option"
        case .busy: "another aem-reseal run holds the lock: nothing was done, try again"
        }
    }

    /// The whole table, one `status  meaning` line each.
    static var table: String {
        allCases.map { "\($0.rawValue)  \($0.meaning)" }.joined(separator: "\n")
    }
}
