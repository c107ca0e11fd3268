import AEMCore

/// What may vouch for the files of the next boot beside the system's own
/// records: the running rpm transaction's files (`--transaction-files`) and
/// the user's word (`--vouch-for`), as paths inside the boot partition.
public struct Vouching: Sendable {
    public var transactionFiles: Set<String>
    public var userVouched: Set<String>

    public init(transactionFiles: Set<String> = [], userVouched: Set<String> = []) {
        self.transactionFiles = transactionFiles
        self.userVouched = userVouched
    }
}
