/// The provenance of every file the next boot depends on, and whether the
/// chain may be sealed to: a seal-ahead tool must never certify a chain an
/// evil maid put on /boot.
///
/// - A module or MLE the evidence ladder shows unchanged is the file this
///   boot measured: the secret appeared on it.
/// - Any other must be vouched for by something the attacker cannot
///   write (`ProvenanceVoucher`): the rpm database, the running
///   transaction, for an initramfs the record of what a running dom0
///   wrote, or the user by name.
/// - SINIT, LCP files and the SKL are measured by the launch into events
///   replayed from this boot's log: another file keeps the seal closed.
/// - The GRUB configuration chose the paths and command lines: when they
///   differ from this boot's (or nothing tells), its scripts must be
///   vouched for too, as a grub.cfg edited while the machine was off could
///   otherwise pick a genuine but unintended kernel or command line. An
///   environment block (`grubenv`) holds no logic and GRUB rewrites it at
///   boot: unchanged since this boot began, it is what this boot started
///   with (`docs/threat-model.md` says what that leaves open).
public struct ChainProvenance: Sendable, Equatable {
    public var modules: [FileProvenance]
    public var measuredLaunchEnvironment: FileProvenance?
    public var launchModules: [FileProvenance]
    public var configuration: [FileProvenance]
    /// The same files as a seal that leaves out the command lines (the
    /// transition seal) needs them: each vouched for by what a package or a
    /// running proven dom0 wrote. Neither "unchanged since this boot
    /// began" nor "it chose as it did at this boot" counts: a file planted
    /// before this boot can choose otherwise next time (a counter in
    /// grubenv, a check of a file's hash).
    public var configurationPositivelyVouched: [FileProvenance]
    /// Whether the configuration had to be vouched for (it chose other
    /// paths or command lines than this boot's, or nothing tells).
    public var configurationChoseAnew: Bool
    /// Whether GRUB will build the next boot exactly as this one: every
    /// configuration file it reads is byte-identical to this boot's
    /// snapshot of /boot as it began, and every file it loads is the one
    /// this boot measured. Then what no file predicts (TrenchBoot's PCR 18,
    /// GRUB's boot information) is this boot's too, as stock AEM assumes
    /// when it seals to it at every boot.
    public var bootInformationAsBooted: Bool

    public var all: [FileProvenance] {
        modules + (measuredLaunchEnvironment.map { [$0] } ?? []) + launchModules + configuration
    }

    /// The files nothing vouches for: while any remains, nothing is sealed.
    public var unvouched: [FileProvenance] { all.filter { !$0.provenance.isAccepted } }

    /// The configuration files a transition seal cannot stand on.
    public var configurationWithoutPositiveVoucher: [FileProvenance] {
        configurationPositivelyVouched.filter { !$0.provenance.isAccepted }
    }

    public var isVouched: Bool { unvouched.isEmpty }

    /// The files sealed to on the user's word alone (`--vouch-for`).
    public var userVouched: [FileProvenance] {
        all.filter {
            if case .vouched(.user, _) = $0.provenance { return true }
            return false
        }
    }

    /// Judges every file of `prediction` with `vouchers`, in order: the
    /// first that vouches wins, else every reason is kept. With no
    /// vouchers, `unvouched` lists the files that need one. `bootSnapshot`
    /// is this boot's snapshot of /boot as it began.
    public init(
        _ prediction: Prediction, vouchers: [any ProvenanceVoucher], bootSnapshot: BootFileSnapshot? = nil
    ) {
        func judge(_ file: BootFile, booted: String?) -> FileProvenance {
            if let booted { return FileProvenance(file: file, provenance: .booted(evidence: booted)) }
            var reasons = [String]()
            for voucher in vouchers {
                switch voucher.vouch(for: file) {
                case let .vouched(kind, detail):
                    return FileProvenance(file: file, provenance: .vouched(kind, detail: detail))
                case let .declined(reason):
                    if !reasons.contains(reason) { reasons.append(reason) }
                }
            }
            return FileProvenance(file: file, provenance: .unvouched(reasons: reasons))
        }

        modules = prediction.modules.map { module in
            judge(
                BootFile(
                    kind: .module(module.role), grubPath: module.image.grubPath,
                    partitionPath: module.image.partitionPath, sha256: module.image.fileDigest),
                booted: module.imageChange.state == .unchanged ? module.imageChange.evidence : nil)
        }
        measuredLaunchEnvironment = prediction.mle.map { tboot in
            judge(
                BootFile(
                    kind: .measuredLaunchEnvironment, grubPath: tboot.path, partitionPath: tboot.partitionPath,
                    sha256: tboot.fileSHA256),
                booted: tboot.change.state == .unchanged ? tboot.change.evidence : nil)
        }
        launchModules = prediction.droppedModules.map { image in
            FileProvenance(
                file: BootFile(
                    kind: .launchModule, grubPath: image.grubPath, partitionPath: image.partitionPath,
                    sha256: image.fileDigest),
                provenance: .carriedOver)
        }

        let modulesAsBooted = prediction.modules.allSatisfy { module in
            module.commandLineChange.state == .unchanged
                && (module.imageChange.state == .unchanged || module.samePathAsBooted == true)
        }
        let countChanged = prediction.selfCheck.problems.contains {
            if case .moduleCountChanged = $0 { return true }
            return false
        }
        // What GRUB could not model may choose otherwise: nothing tells it chose as this boot.
        let modelled = prediction.entry.unknownInfluences.isEmpty
        configurationChoseAnew =
            !modulesAsBooted || countChanged || prediction.mle.map { $0.chosenAsBooted != true } == true
            || prediction.commandLinesAsBooted != true || !modelled
        let choseAnew = configurationChoseAnew
        let configurationAsAtBoot =
            bootSnapshot.map { snapshot in
                !prediction.entry.configurationFiles.isEmpty
                    && prediction.entry.configurationFiles.allSatisfy { file in
                        file.partitionPath.map { snapshot.changed($0, to: file.sha256.hex) == false } ?? false
                    }
            } ?? false
        bootInformationAsBooted =
            configurationAsAtBoot && !countChanged && prediction.modules.allSatisfy(\.sameAsCurrentBoot)
            && prediction.mle?.sameAsCurrentBoot != false && prediction.commandLinesAsBooted == true && modelled
        configurationPositivelyVouched = prediction.entry.configurationFiles.map { file in
            judge(
                BootFile(
                    kind: file.isEnvironmentBlock ? .grubEnvironment : .grubConfiguration, grubPath: file.path,
                    partitionPath: file.partitionPath, sha256: file.sha256),
                booted: nil)
        }
        configuration = prediction.entry.configurationFiles.map { file in
            let asAtBoot =
                file.isEnvironmentBlock && file.partitionPath != nil
                && bootSnapshot?.changed(file.partitionPath!, to: file.sha256.hex) == false
            return judge(
                BootFile(
                    kind: file.isEnvironmentBlock ? .grubEnvironment : .grubConfiguration, grubPath: file.path,
                    partitionPath: file.partitionPath, sha256: file.sha256),
                booted: !choseAnew
                    ? "it chose the same files and command lines as this boot"
                    : asAtBoot ? "the environment block this boot started with, unchanged since" : nil)
        }
    }
}
