import AEMCore
import AEMTPM
import Foundation

/// The install half of `stage`: seal, swap the new set in, copy it to the
/// media and record the cycle. It returns what was staged (`StageOutcome`);
/// guiding the user is the caller's.
struct Stager {
    var installation: AEMInstallation
    var session: PredictionSession
    var versions: ComponentVersions
    var mediaOption: String?
    /// What was decided before anything was touched, and the state file as then found.
    var plan: StagePlan
    var force: Bool

    var layout: SystemLayout { installation.layout }
    var prediction: Prediction { session.prediction }
    /// The PCRs to seal to: SEAL, less what a transition seal leaves out.
    var sealPCRs: [UInt32] { plan.preconditions.sealPCRs }
    var transition: TransitionSeal? { plan.preconditions.transition }

    /// Finds AEM's installation (its label, the secrets to seal) for `plan`.
    init(
        session: PredictionSession, versions: ComponentVersions, plan: StagePlan, label: String?,
        mediaOption: String?, force: Bool
    ) throws(CycleError) {
        do {
            installation = try AEMInstallation(layout: session.layout, label: label)
        } catch {
            throw .badInput(error.description)
        }
        guard !installation.presentSecrets().isEmpty else {
            throw .badInput(
                "no secret to seal in \(installation.plaintextDirectory) ("
                    + AEMSecretKind.allCases.map(\.plaintextName).joined(separator: ", ") + ")")
        }
        self.session = session
        self.versions = versions
        self.mediaOption = mediaOption
        self.plan = plan
        self.force = force
    }

    /// Seals, installs on disk and copies to the media.
    /// - Parameters:
    ///   - interactive: a password may be asked for.
    ///   - confirm: ask before sealing (not `--yes`).
    func stage(
        srkPasswordFile: String?, interactive: Bool, confirm: Bool, ui: any CycleUserInterface
    ) throws(CycleError) -> StageOutcome {
        let state = plan.state
        let media = installation.media(explicit: mediaOption)
        let (installer, activeIsDisposable) = try recoverInterruptedRun(state)
        if confirm { try askToSeal(ui) }
        let password = try srkPassword(file: srkPasswordFile, interactive: interactive, ui: ui)

        FaultPoints.hit("seal:begin")
        let builder: any SealedSetBuilder
        // The session already refused a log of the other TPM generation.
        switch try session.context.tpmVersion() {
        case .tpm20:
            builder = TPM2SealedSetBuilder(
                installation: installation, sealBank: prediction.flow.sealBank, sealPCRs: sealPCRs,
                values: prediction.predicted, tcti: session.tcti)
        case .tpm12:
            builder = TPM12SealedSetBuilder(
                installation: installation, sealPCRs: sealPCRs, values: prediction.predicted)
        }
        let set = try TPMDeadline.guarding { () throws(CycleError) in try builder.build(srkPassword: password) }

        // Journal the set before swapping it in: a crash can then be finished or undone.
        var record = state ?? ResealState(phase: .installing, label: installation.label, tpmID: installation.tpmID)
        var mediaActiveIsDisposable = false
        if case let .mounted(media) = media {
            // Unreadable: not known to be disposable, so it is kept.
            mediaActiveIsDisposable = isDisposable(
                (try? installation.mediaInstaller(media).readActive()) ?? nil, state: state)  // (unreadable: kept)
        }
        record.phase = .installing
        record.setID = set.identifier
        record.keepReplacedSet = !activeIsDisposable
        record.keepReplacedMediaSet = !mediaActiveIsDisposable
        do {
            try record.save(to: layout.stateFile)
            try installer.stage(set)
            try installer.install(keepReplacedSet: !activeIsDisposable)
        } catch {
            throw .writeFailed(
                "installing the new set: \(error); the active set is complete (old or new) — run `aem-reseal stage` "
                    + "again or `sudo aem-reseal rollback`")
        }

        let mediaCopy = copyToMedia(
            set, at: media, recovering: state?.interruptedSetID, keepReplacedSet: record.keepReplacedMediaSet ?? true,
            previouslyKept: state?.keepReplacedMediaSet ?? true)
        // A set that cannot be read back has no fingerprint: the checks comparing one then find no match.
        record = try staged(record, fingerprint: (try? installer.readActive())??.fingerprint, media: mediaCopy)
        return try recorded(record, media: mediaCopy, done: "the new set is installed")
    }

    /// Finishes or undoes what an interrupted run left on disk, by that
    /// run's journal (the media's is finished when the set is copied), and
    /// says whether the active set may be discarded: only an unverified
    /// staged set that does not open on the running boot (then the set that
    /// does is already `previous`). After a reboot stock AEM reseals the
    /// active folder in place and our id file stays in it: that set is the
    /// working one, and it must become `previous`.
    private func recoverInterruptedRun(_ state: ResealState?) throws(CycleError) -> (SealedSetInstaller, Bool) {
        do {
            let installer = try installation.installer()
            try installer.recover(
                pendingIdentifier: state?.interruptedSetID, keepReplacedSet: state?.keepReplacedSet ?? true)
            return (installer, isDisposable(try installer.readActive(), state: state))
        } catch {
            throw .writeFailed("cleaning up after an interrupted run: \(error.description)")
        }
    }

    /// The confirmation on the terminal; a no changes nothing.
    private func askToSeal(_ ui: any CycleUserInterface) throws(CycleError) {
        let changing = prediction.changedSealedPCRs
        let question =
            transition.map {
                "Seal the AEM secrets for the next boot to PCR "
                    + "\($0.sealedPCRs.map(String.init).joined(separator: ", ")) only (a transition seal, see "
                    + "above) and install them now?"
            }
            ?? "Seal the AEM secrets to the predicted PCRs"
            + (changing.isEmpty ? "" : " (PCR \(changing.map(String.init).joined(separator: ", ")) will change)")
            + " and install them now?"
        switch ui.confirm(question) {
        case .yes: return
        case .no: throw .declined("nothing was changed (not confirmed; use --yes to skip the question)")
        case .noTerminal:
            throw .needsUser(
                "nothing was changed: there is no terminal to ask whether to seal; run it in a terminal, or add --yes")
        }
    }

    /// The SRK password; without one, the update is recorded as pending.
    private func srkPassword(
        file: String?, interactive: Bool, ui: any CycleUserInterface
    ) throws(CycleError) -> SecretBytes {
        do {
            return try SRKPassword.obtain(context: session.context, file: file, interactive: interactive, ui: ui).0
        } catch {
            // Staging.run records the update as pending.
            throw error.reworded(
                "\(error). Nothing was sealed; the update is pending: run `sudo aem-reseal stage` in a dom0 terminal "
                    + "before rebooting (`sudo aem-reseal status` shows this).")
        }
    }

    /// The journal entry of a set installed: what it is sealed to, what it
    /// was predicted from, and where the media copy stands.
    private func staged(_ installing: ResealState, fingerprint: String?, media: ResealState.Media) throws(CycleError)
        -> ResealState
    {
        var record = installing
        record.phase = .staged
        record.label = installation.label
        record.tpmID = installation.tpmID
        record.setFingerprint = fingerprint
        record.stagedInBoot = try session.context.bootTime()
        record.stagedAt = Date()
        record.forced = force
        let userVouched = session.provenance.userVouched.map(\.file.grubPath)
        record.userVouched = userVouched.isEmpty ? nil : userVouched
        record.selfCheck = prediction.selfCheck.status.rawValue
        record.flow = prediction.flow.name
        record.sealBank = prediction.flow.sealBank
        record.sealPCRs = sealPCRs
        record.transitionLeftOutPCRs = transition?.leftOut.map(\.pcr)
        record.sealedTo = prediction.predicted.restricted(to: Set(sealPCRs))
        record.predictedCommandLines = BootedCommandLines(
            xen: prediction.xenCommandLine, dom0: prediction.dom0CommandLine)
        record.predicted = prediction.predicted
        record.modules = prediction.modules.map { module in
            ResealState.Module(
                path: module.image.grubPath, role: module.role.rawValue, version: versions.new(module),
                fileSha256: module.image.fileDigest.hex, measurement: module.predicted.hexByBank,
                changed: !module.sameAsCurrentBoot)
        }
        record.media = media
        record.message = nil
        return record
    }

    /// `stage` again in the boot that staged a set the media did not get:
    /// copies that same set (nothing is sealed again) and records it.
    func copyStagedSet(state: ResealState) throws(CycleError) -> StageOutcome {
        let media = installation.media(explicit: mediaOption)
        var record = state
        if case let .mounted(media) = media {
            // Unreadable: not known to be disposable, so it is kept.
            record.keepReplacedMediaSet = !isDisposable(
                (try? installation.mediaInstaller(media).readActive()) ?? nil, state: state)  // (unreadable: kept)
        }
        let active: StoredSealedSet?
        do {
            active = try installation.installer().readActive()
        } catch {
            throw .writeFailed("reading back the staged set to copy it: \(error)")
        }
        guard let active, let set = active.sealedSet, set.identifier == state.setID,
            active.fingerprint == state.setFingerprint
        else {
            throw .badInput(
                "\(installation.sealedSetDirectory) is no longer the set staged in this boot (\(layout.stateFile)); "
                    + "run `sudo aem-reseal stage` after checking `aem-reseal status`"
            )
        }
        let mediaCopy = copyToMedia(
            set, at: media, recovering: state.interruptedSetID, keepReplacedSet: record.keepReplacedMediaSet ?? true,
            previouslyKept: state.keepReplacedMediaSet ?? true)
        record.media = mediaCopy
        return try recorded(record, media: mediaCopy, done: "the staged set is copied")
    }

    /// Saves the finished step in the state file `verify`, `status` and
    /// `rollback` read; `done` says what already happened when saving fails.
    private func recorded(_ record: ResealState, media: ResealState.Media, done: String) throws(CycleError)
        -> StageOutcome
    {
        do {
            try record.save(to: layout.stateFile)
        } catch {
            throw .writeFailed("\(done), but recording it in \(layout.stateFile) failed: \(error)")
        }
        return StageOutcome(
            state: record, media: media, installation: installation, prediction: prediction, versions: versions)
    }

    /// Whether the set in `directory` may be replaced without keeping it:
    /// one aem-reseal staged and nobody verified, which the live PCRs show
    /// does not open on the running boot. Without live PCRs it is kept.
    private func isDisposable(_ set: StoredSealedSet?, state: ResealState?) -> Bool {
        guard let set, Self.isStaged(set.identifier, state: state), let live = session.livePCRs else {
            return false
        }
        return SealedSetPolicy.mismatch(in: set, opening: live) != nil
    }

    /// Whether a set with `identifier` is one aem-reseal staged and nobody verified yet.
    private static func isStaged(_ identifier: String?, state: ResealState?) -> Bool {
        guard let identifier, let state, let staged = state.setID else { return false }
        return staged == identifier && [.staged, .installing, .mismatch].contains(state.phase)
    }

    /// Installs the set just installed on disk on the mounted AEM media too,
    /// with the same swap, after finishing what an interrupted run left
    /// there (`recovering`, by that run's journal). On failure the media
    /// keeps one whole set (the installer swaps back) and no partial copy
    /// takes its space; a media problem (a planted link, a full device) is
    /// "not on the media", never a reason to lose dom0's new seal. The media
    /// must still be mounted where it was found, before and after the copy.
    private func copyToMedia(
        _ set: SealedSet, at media: AEMInstallation.MediaLocation, recovering interrupted: String?,
        keepReplacedSet: Bool, previouslyKept: Bool
    ) -> ResealState.Media {
        switch media {
        case let .notMounted(reason):
            return ResealState.Media(path: nil, copied: false, detail: reason, fingerprint: nil)
        case let .mounted(media):
            let installer = installation.mediaInstaller(media)
            let mountPoint = media.mountPoint
            let unmounted =
                "the AEM media was unmounted from \(mountPoint) (or something was mounted over it) during the copy"
            guard media.isStillMounted else {
                return ResealState.Media(path: mountPoint, copied: false, detail: unmounted, fingerprint: nil)
            }
            FaultPoints.hit("media:copy")
            do {
                try installer.recover(pendingIdentifier: interrupted, keepReplacedSet: previouslyKept)
            } catch {
                return ResealState.Media(
                    path: mountPoint, copied: false,
                    detail: "cleaning up the AEM media after an interrupted run failed: \(error)", fingerprint: nil)
            }
            do {
                try installer.stage(set)
                try installer.install(keepReplacedSet: keepReplacedSet)
                guard media.isStillMounted else {
                    return ResealState.Media(
                        path: mountPoint, copied: false, detail: unmounted + ": the copy cannot be confirmed",
                        fingerprint: nil)
                }
                // Unreadable read-back: no fingerprint, so no later check takes it for the staged set.
                return ResealState.Media(
                    path: mountPoint, copied: true, detail: "copied to \(installer.activeDirectory)",
                    fingerprint: (try? installer.readActive())??.fingerprint)  // (see above)
            } catch {
                // Only a set read back whole and named as the new one counts as copied.
                if let active = (try? installer.readActive()) ?? nil, active.identifier == set.identifier {
                    // The swap happened and could not be undone: the new set is whole and active.
                    return ResealState.Media(
                        path: mountPoint, copied: true,
                        detail: "copied to \(installer.activeDirectory), but the replaced set was not kept: \(error)",
                        fingerprint: active.fingerprint)
                }
                try? installer.discardStaging()  // cleanup after the failure reported below; a leftover is recovered
                return ResealState.Media(
                    path: mountPoint, copied: false,
                    detail: "copying to \(mountPoint) failed: \(error); it still holds the previous seal",
                    fingerprint: nil)
            }
        }
    }
}
