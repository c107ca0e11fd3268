import SystemPackage

/// What the vouchers stand on, gathered from the system: this boot's
/// snapshot of /boot, the ledger of what earlier boots wrote, the rpm
/// database, the running transaction's files and the user's word.
public struct ProvenanceSources: Sendable {
    public var layout: SystemLayout
    /// Paths inside the boot partition the running rpm transaction installed.
    public var transactionFiles: Set<String>
    /// Paths the user vouched for with `--vouch-for`.
    public var userVouched: Set<String>

    public init(layout: SystemLayout, transactionFiles: Set<String> = [], userVouched: Set<String> = []) {
        self.layout = layout
        self.transactionFiles = transactionFiles
        self.userVouched = userVouched
    }

    /// Where the boot partition lies under the system root, as rpm names
    /// its files (`/boot`); nil when it lies elsewhere.
    public var bootPrefix: String? {
        let root = FilePath(layout.root).lexicallyNormalized()
        var boot = FilePath(layout.bootDirectory).lexicallyNormalized()
        guard boot.removePrefix(root) else { return nil }
        return "/" + boot.string
    }

    /// Starts asking the rpm database about the files `entry` names, to be
    /// handed to `provenance(of:bootSnapshot:prefetched:)`; nil when the
    /// boot partition does not lie under the root rpm knows.
    public func prefetchRPMRecords(for entry: GrubBootEntry) -> RPMRecordsPrefetch? {
        guard let bootPrefix else { return nil }
        return RPMRecordsPrefetch(
            database: RPMDatabase(root: layout.root), paths: RPMRecordsPrefetch.paths(of: entry, bootPrefix: bootPrefix)
        )
    }

    /// Whether the rpm database records exactly this content for the
    /// configuration file `file` in an installed package.
    public func packaged(_ file: GrubConfigurationFile) -> Bool {
        guard let bootPrefix, let path = file.partitionPath,
            let rpmPath = RPMDatabaseVoucher.rpmPath(path, bootPrefix: bootPrefix)
        else { return false }
        let voucher = RPMDatabaseVoucher(
            records: Result { () throws(RPMDatabaseError) in try RPMDatabase(root: layout.root).records(for: [rpmPath])
            },
            bootPrefix: bootPrefix)
        let answer = voucher.vouch(
            for: BootFile(kind: .grubConfiguration, grubPath: file.path, partitionPath: path, sha256: file.sha256))
        if case .vouched = answer { return true }
        return false
    }

    /// Judges `prediction`: the files that need a voucher are looked up in
    /// the rpm database (only those, or in the answer `prefetched` already
    /// has when it covers them), then every voucher is asked in turn.
    /// `bootSnapshot` is the snapshot `record` took when this boot began.
    public func provenance(
        of prediction: Prediction, bootSnapshot: BootFileSnapshot?, prefetched: RPMRecordsPrefetch? = nil
    ) -> ChainProvenance {
        // The configuration files too: a transition seal asks for them whatever they chose.
        let bare = ChainProvenance(prediction, vouchers: [], bootSnapshot: bootSnapshot)
        var needing = [FilePath]()
        for file in bare.unvouched + bare.configurationWithoutPositiveVoucher {
            if let path = file.file.partitionPath, !needing.contains(path) { needing.append(path) }
        }
        var vouchers: [any ProvenanceVoucher] = []
        if let bootPrefix, !needing.isEmpty {
            let paths = needing.compactMap { RPMDatabaseVoucher.rpmPath($0, bootPrefix: bootPrefix) }
            let records =
                prefetched?.records(covering: paths)
                ?? Result { () throws(RPMDatabaseError) in try RPMDatabase(root: layout.root).records(for: paths) }
            vouchers.append(RPMDatabaseVoucher(records: records, bootPrefix: bootPrefix))
        }
        // What dom0 wrote vouches for grub.cfg only while no name on /boot is GRUB script.
        let scriptNames = Result { () throws(FileAccessError) in
            try GeneratedConfigurationVoucher.scriptNames(in: try BootPartition(path: layout.bootDirectory))
        }
        if !transactionFiles.isEmpty {
            vouchers.append(
                GeneratedConfigurationVoucher(
                    wrapping: TransactionVoucher(installed: transactionFiles, bootSnapshot: bootSnapshot),
                    scriptNames: scriptNames))
        }
        // An unreadable ledger vouches for nothing, and says why.
        let ledger = Result { try WrittenFilesLedger.load(from: layout.writtenFilesLedger) }
            .mapError {
                WrittenWhileRunningVoucher.LedgerUnreadable(
                    reason: "the ledger of what dom0 wrote (\(layout.writtenFilesLedger)) is unreadable: \($0)")
            }
        vouchers.append(
            GeneratedConfigurationVoucher(
                wrapping: WrittenWhileRunningVoucher(bootSnapshot: bootSnapshot, ledger: ledger),
                scriptNames: scriptNames))
        if !userVouched.isEmpty { vouchers.append(UserVoucher(paths: userVouched)) }
        return ChainProvenance(prediction, vouchers: vouchers, bootSnapshot: bootSnapshot)
    }
}
