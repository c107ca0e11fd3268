/// Vouches for a file dom0 generates (an initramfs by dracut, grub.cfg by
/// grub2-mkconfig) that a running, proven dom0 wrote: it differs from this
/// boot's snapshot of /boot (written during this boot), or the ledger of
/// earlier boots' writes holds its exact content. A file that changed
/// while the machine was off is in neither.
public struct WrittenWhileRunningVoucher: ProvenanceVoucher {
    /// The snapshot `record` took when this boot started; nil when it did not run.
    public var bootSnapshot: BootFileSnapshot?
    /// The ledger of earlier boots' writes (nil: none yet), or why it
    /// could not be read.
    public var ledger: Result<WrittenFilesLedger?, LedgerUnreadable>

    /// Why the ledger could not be read, in words.
    public struct LedgerUnreadable: Error, Sendable {
        public var reason: String
    }

    public init(bootSnapshot: BootFileSnapshot?, ledger: Result<WrittenFilesLedger?, LedgerUnreadable>) {
        self.bootSnapshot = bootSnapshot
        self.ledger = ledger
    }

    public func vouch(for file: BootFile) -> VoucherAnswer {
        guard file.isGeneratedOnDom0 else { return .declined("a packaged file is vouched for by rpm only") }
        guard let path = file.partitionPath else { return .declined("its real path could not be told") }
        if bootSnapshot?.changed(path, to: file.sha256.hex) == true {
            return .vouched(.writtenThisBoot, detail: "written during this boot, after its snapshot of /boot")
        }
        if case let .failure(unreadable) = ledger { return .declined(unreadable.reason) }
        if case let .success(ledger) = ledger, let entry = ledger?.files[path], entry.sha256 == file.sha256.hex {
            switch entry.writer {
            case .dom0:
                return .vouched(
                    .writtenWhileRunning,
                    detail: "written while dom0 ran (boot of \(entry.writtenInBoot)), unchanged since")
            case .grubAtBoot:
                return .vouched(
                    .writtenWhileRunning,
                    detail: "written by GRUB itself at the boot of \(entry.writtenInBoot), its own save_env (modelled "
                        + "from a configuration dom0 wrote) into the block dom0 wrote, unchanged since")
            }
        }
        guard let bootSnapshot else {
            return .declined(
                "no snapshot of /boot was taken when this boot began (`aem-reseal record` did not run), so whether "
                    + "dom0 wrote it cannot be told")
        }
        if let unknown = bootSnapshot.unknownReason(for: path) {
            return .declined("this boot's snapshot of /boot does not know it as it was when the boot began: \(unknown)")
        }
        return .declined(
            "it was on /boot, unchanged, when this boot began, and no running dom0 is known to have written it")
    }
}
