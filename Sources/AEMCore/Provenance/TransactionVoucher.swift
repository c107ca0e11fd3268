/// Vouches for a file the running rpm transaction installed: the paths
/// rpm's file trigger was given. rpm also lists `%ghost` files it did not
/// write, and an offline attacker can plant a file at a path a later
/// package lists, so a listed file must also be known to have changed
/// since this boot's snapshot of /boot: without a snapshot, or where the
/// snapshot does not know the file, it vouches for nothing.
public struct TransactionVoucher: ProvenanceVoucher {
    /// Paths inside the boot partition (`/xen-4.17.4.gz`).
    public var installed: Set<String>
    public var bootSnapshot: BootFileSnapshot?

    public init(installed: Set<String>, bootSnapshot: BootFileSnapshot?) {
        self.installed = installed
        self.bootSnapshot = bootSnapshot
    }

    public func vouch(for file: BootFile) -> VoucherAnswer {
        let named = file.partitionPath?.validString.map(installed.contains) == true || installed.contains(file.grubPath)
        guard let path = file.partitionPath, named else { return .declined("this transaction did not install it") }
        guard let bootSnapshot else {
            return .declined(
                "this transaction lists it, but with no snapshot of /boot from this boot's start nothing shows "
                    + "that it was written after the boot began")
        }
        switch bootSnapshot.changed(path, to: file.sha256.hex) {
        case true?:
            return .vouched(.transaction, detail: "installed by the running rpm transaction")
        case false?:
            return .declined("this transaction lists it, but it is the same as when this boot began")
        case nil:
            let reason = bootSnapshot.unknownReason(for: path).map { "\($0)" } ?? "unknown"
            return .declined(
                "this transaction lists it, but this boot's snapshot of /boot does not know it as it was: \(reason)")
        }
    }
}
