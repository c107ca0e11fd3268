/// Something trustworthy (the rpm database, the running transaction, the
/// record of what a running dom0 wrote, the user) that can vouch for a
/// file on /boot. Each is a small value behind this one protocol, as the
/// boot flows are.
public protocol ProvenanceVoucher: Sendable {
    /// Vouches for `file`, or says why it cannot.
    func vouch(for file: BootFile) -> VoucherAnswer
}

/// A voucher's answer for one file.
public enum VoucherAnswer: Sendable, Equatable {
    case vouched(Provenance.Voucher, detail: String)
    /// Why this voucher does not vouch for it.
    case declined(String)
}
