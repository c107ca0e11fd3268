/// Where a file of the next boot comes from, and whether that is enough to
/// seal to it: the answer for one `BootFile`.
public enum Provenance: Sendable, Equatable {
    /// The very file this boot measured (the evidence ladder showed it
    /// unchanged): the secret appeared on it, so it needs no voucher.
    case booted(evidence: String)
    /// Measured by the launch itself into events that are replayed from
    /// this boot's log, never computed from the file: another file keeps
    /// the seal closed, so it needs no voucher.
    case carriedOver
    /// Something the attacker cannot write vouches for it.
    case vouched(Voucher, detail: String)
    /// Nothing does; each voucher's reason why not.
    case unvouched(reasons: [String])

    /// What vouched for a file.
    public enum Voucher: String, Sendable, Equatable, Codable {
        /// Its SHA-256 is the one the rpm database records for that path.
        case rpmDatabase = "rpm-database"
        /// The running rpm transaction installed it (its file trigger's list).
        case transaction
        /// dom0 wrote it during this boot, after the boot's snapshot of /boot.
        case writtenThisBoot = "written-this-boot"
        /// dom0 wrote it during an earlier boot and it has not changed since.
        case writtenWhileRunning = "written-while-running"
        /// The user vouched for it by name (`--vouch-for`).
        case user
    }

    /// Whether sealing to a chain with this file is allowed.
    public var isAccepted: Bool {
        if case .unvouched = self { return false }
        return true
    }
}

/// A file of the next boot with its provenance.
public struct FileProvenance: Sendable, Equatable {
    public var file: BootFile
    public var provenance: Provenance
}
