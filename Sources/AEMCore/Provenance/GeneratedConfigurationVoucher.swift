import SystemPackage

/// grub2-mkconfig writes the names of the kernels, Xen, tboot and
/// initramfs files it finds on /boot into grub.cfg as GRUB script,
/// unquoted: a planted name (`xen-${a}.gz`, whose `${a}` GRUB expands from
/// a planted grubenv; `xen.gz;set ...`) becomes code in a configuration
/// dom0 itself wrote. So "dom0 wrote it" (the running transaction, the
/// ledger, this boot's writes) vouches for a GRUB configuration only while
/// every name at the top of /boot is a plain word to GRUB; a name that is
/// not, or a /boot that cannot be listed, leaves that word worth nothing.
public struct GeneratedConfigurationVoucher: ProvenanceVoucher {
    /// The voucher whose "dom0 wrote it" this one qualifies.
    public var wrapped: any ProvenanceVoucher
    /// The names at the top of /boot GRUB would read as script (shown),
    /// or why /boot could not be listed.
    public var scriptNames: Result<[String], FileAccessError>

    public init(wrapping wrapped: any ProvenanceVoucher, scriptNames: Result<[String], FileAccessError>) {
        self.wrapped = wrapped
        self.scriptNames = scriptNames
    }

    public func vouch(for file: BootFile) -> VoucherAnswer {
        let answer = wrapped.vouch(for: file)
        guard case .vouched = answer, file.kind == .grubConfiguration else { return answer }
        switch scriptNames {
        case let .success(names) where names.isEmpty:
            return answer
        case let .success(names):
            return .declined(
                "dom0 wrote it, but /boot holds \(names.joined(separator: ", ")): grub2-mkconfig copies such a name "
                    + "into grub.cfg, where GRUB reads it as script (planted?); remove it, then let grub2-mkconfig "
                    + "write grub.cfg again")
        case let .failure(error):
            return .declined(
                "dom0 wrote it, but whether /boot holds a name GRUB would read as script is unknown: \(error)")
        }
    }

    /// The names at the top of the boot partition that GRUB's script
    /// language would not read as one plain word, shown.
    public static func scriptNames(in partition: BootPartition) throws(FileAccessError) -> [String] {
        try partition.directory.entries().filter { !isPlainWord($0.name.bytes) }.map(\.name.shown)
    }

    /// Printable ASCII without GRUB's expansions, quotes, separators,
    /// redirections, comments and wildcards.
    static func isPlainWord(_ bytes: [UInt8]) -> Bool {
        bytes.allSatisfy { (0x21...0x7E).contains($0) && !special.contains($0) }
    }

    private static let special = Set(Array("$;&|<>(){}\"'\\`#*?[]!".utf8))
}
