import AEMCore
import SystemPackage

/// Why an engine of the update cycle stopped, in words a user can act on.
/// Each case is one kind of failure, and the CLI gives each exactly one
/// exit status (`ExitStatus(for:)`, its one mapping): adding a case is a
/// compile error there until it has its row.
///
/// Whatever the case, nothing is half-written: an engine throws before it
/// touches a file, or after its writes are whole (the message says which).
public enum CycleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An input is unreadable, malformed or missing: a file, the boot
    /// entry, the AEM set-up, the state file, `--root`.
    case badInput(String)
    /// A fact of the machine exists but cannot be read (`detail`: the
    /// system's words); nothing was guessed in its place.
    case unreadable(MachineFact, path: String, detail: String)
    /// A check failed and nothing was changed: the chain has a file nothing
    /// vouches for, the log is not this boot's, or a transition seal would
    /// not cover the MLE.
    case checkFailed(String)
    /// `stage` refused the prediction (`SealPreconditions`); the words
    /// depend on AEM's configuration file, which the refusal may name.
    case refused(SealRefusal, aemConfiguration: String)
    /// The TPM could not be reached, timed out, refused a password, is in
    /// dictionary-attack lockout, or refused an operation.
    case tpm(String)
    /// The current boot's DRTM log does not fit this TPM's version.
    case logDoesNotFitTPM(String)
    /// An answer or a password was needed and could not be asked for.
    case needsUser(String)
    /// The user answered no (or gave nothing at a prompt).
    case declined(String)
    /// The new seal is on dom0's disk but not on the AEM media.
    case notOnMedia(String)
    /// A file could not be written or moved; what is on disk is whole.
    case writeFailed(String)
    /// Another run holds the lock; nothing was done.
    case busy(String)

    public var description: String {
        switch self {
        case let .badInput(message), let .checkFailed(message), let .tpm(message), let .logDoesNotFitTPM(message),
            let .needsUser(message), let .declined(message), let .notOnMedia(message), let .writeFailed(message),
            let .busy(message):
            return message
        case let .refused(refusal, aemConfiguration):
            return refusal.explanation(aemConfiguration: aemConfiguration)
        case let .unreadable(fact, path, detail):
            let consequence =
                detail.hasSuffix(Errno.permissionDenied.description)
                ? "It is root's: run this with sudo"
                : "It exists, so it is not taken for absent: nothing was guessed in its place"
            return "cannot read \(fact.name) (\(path)): \(detail). \(consequence)"
        }
    }

    /// The same failure in other words (more context); a refusal keeps its own.
    public func reworded(_ message: String) -> CycleError {
        switch self {
        case .badInput: .badInput(message)
        case .unreadable: .badInput(message)
        case .checkFailed: .checkFailed(message)
        case .refused: self
        case .tpm: .tpm(message)
        case .logDoesNotFitTPM: .logDoesNotFitTPM(message)
        case .needsUser: .needsUser(message)
        case .declined: .declined(message)
        case .notOnMedia: .notOnMedia(message)
        case .writeFailed: .writeFailed(message)
        case .busy: .busy(message)
        }
    }
}

extension MachineFact {
    /// The fact as a user names it.
    var name: String {
        switch self {
        case .bootTime: "the boot time"
        case .tpmVersion: "the TPM's version"
        case .bootRecord: "this boot's record"
        case .bootRecords: "the boot records"
        case .bootSnapshot: "this boot's snapshot of /boot"
        case .writtenFilesLedger: "the ledger of what dom0 wrote"
        case .kernelCommandLine: "the running kernel's command line"
        case .xenConsole: "Xen's console log"
        case .mountTable: "which file system /boot is"
        }
    }
}
