/// Vouches for a file the running rpm transaction installed: the paths
/// rpm's file trigger was given. rpm also lists `%ghost` files it did not
/// write, so a listed file must also have changed since this boot's
/// snapshot of /boot when there is one.
public struct TransactionVoucher: ProvenanceVoucher {
    /// Paths inside the boot partition (`/xen-4.17.4.gz`).
    public var installed: Set<String>
    public var bootSnapshot: BootFileSnapshot?

    public init(installed: Set<String>, bootSnapshot: BootFileSnapshot?) {
        self.installed = installed
        self.bootSnapshot = bootSnapshot
    }

    public func vouch(for file: BootFile) -> VoucherAnswer {
        guard let path = file.partitionPath, installed.contains(path) || installed.contains(file.grubPath) else {
            return .declined("this transaction did not install it")
        }
        if let bootSnapshot, bootSnapshot.changed(path, to: file.sha256.hex) != true {
            return .declined("this transaction lists it, but it is not known to have changed since this boot began")
        }
        return .vouched(.transaction, detail: "installed by the running rpm transaction")
    }
}
