/// Vouches for the files the user named with `--vouch-for` (a kernel they
/// built themselves): their word, recorded and shown.
public struct UserVoucher: ProvenanceVoucher {
    /// GRUB paths or paths inside the boot partition.
    public var paths: Set<String>

    public init(paths: Set<String>) { self.paths = paths }

    public func vouch(for file: BootFile) -> VoucherAnswer {
        let named = paths.contains(file.grubPath) || file.partitionPath?.validString.map(paths.contains) == true
        return named
            ? .vouched(.user, detail: "you vouched for it (--vouch-for)") : .declined("not named by --vouch-for")
    }
}
