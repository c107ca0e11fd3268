import AEMCore

/// What `stage` will do after the prediction, decided before anything is
/// touched: the rules a prediction must pass (`SealPreconditions`), whether
/// there is anything to seal at all (`StageDecision`), and whether a
/// transition seal has the user's consent.
public struct StagePlan {
    public var preconditions: SealPreconditions
    public var decision: StageDecision
    /// The state file as this run found it.
    public var state: ResealState?

    /// Checks the prediction and decides against the set staged earlier in
    /// this boot. Tells `ui`, as it goes, what the user must read before
    /// anything is sealed: a safeguard overridden (`--force`, `--vouch-for`,
    /// loudly), an unconfirmed self-check, the weakening of a transition seal.
    public init(session: PredictionSession, force: Bool, ui: any CycleUserInterface) throws(CycleError) {
        let prediction = session.prediction
        let layout = session.layout
        // Never seal a chain with a file nothing trustworthy vouches for:
        // --force does not cover it, only the user naming the file does.
        let unvouched = session.provenance.unvouched
        guard unvouched.isEmpty else {
            throw .checkFailed(
                "nothing was sealed: the next boot would load "
                    + (unvouched.count == 1 ? "a file" : "\(unvouched.count) files")
                    + " that nothing trustworthy vouches for (an evil maid could have put "
                    + (unvouched.count == 1 ? "it" : "them") + " on /boot while the machine was off):\n"
                    + unvouched.map { "  - " + ProvenanceText.refusal($0) }.joined(separator: "\n")
                    + "\nIf you put " + (unvouched.count == 1 ? "it" : "them")
                    + " there yourself and know " + (unvouched.count == 1 ? "it is" : "they are")
                    + " genuine, name " + (unvouched.count == 1 ? "it" : "each") + " with "
                    + unvouched.map { "--vouch-for \($0.file.grubPath)" }.joined(separator: " ")
                    + " (--force does not cover this). Otherwise reinstall the package, or let dracut or "
                    + "grub2-mkconfig write the file again, then run `sudo aem-reseal stage`.")
        }
        let userVouched = session.provenance.userVouched
        if !userVouched.isEmpty {
            ui.notice(
                NoticeLine(
                    .override,
                    "WARNING: --vouch-for: sealing to \(userVouched.map(\.file.grubPath).joined(separator: ", ")) on "
                        + "your word alone; nothing else vouches for it. This is recorded in the state file."))
        }
        do {
            preconditions = try SealPreconditions(prediction: prediction, force: force)
        } catch {
            throw .refused(error, aemConfiguration: layout.aemConfiguration)
        }
        if let overridden = preconditions.overriddenSelfCheck {
            ui.notice(
                NoticeLine(
                    .override,
                    "WARNING: --force: sealing to a prediction whose self-check is "
                        + "\(overridden.rawValue.uppercased()). "
                        + "The secret may not appear at the next boot even if the boot chain is genuine, "
                        + "and this is recorded in the state file."))
        } else if prediction.selfCheck.status == .unconfirmed {
            ui.notice(
                NoticeLine(
                    .warning, label: "warning",
                    "the self-check is unconfirmed: every module changed, "
                        + "so none could prove the model on this machine. Sealing anyway; if the secret does not "
                        + "appear at the next boot, see the guidance below."))
        }

        // Nothing to do when the active seal already opens on the next boot
        // (installing aem-reseal itself, or an update of no measured byte).
        // A set staged in this boot that never reached the media is copied,
        // not sealed again: running stage again is how it gets there.
        // A state file that cannot be read is never taken for none: it may
        // record an interrupted stage that only it can finish.
        state = try session.context.state()
        let thisBoot = try session.context.bootTime()
        let stagedThisBoot = state.flatMap { state in
            state.phase == .staged && state.stagedInBoot == thisBoot
                ? state.sealedTo.map { StageDecision.StagedSet(sealedTo: $0, onMedia: state.media?.copied == true) }
                : nil
        }
        decision =
            prediction.selfCheck.status == .ok
            ? StageDecision.decide(
                prediction: prediction, sealPCRs: preconditions.sealPCRs, stagedThisBoot: stagedThisBoot,
                bootInformationAsBooted: session.provenance.bootInformationAsBooted)
            : .seal
        if let transition = preconditions.transition, decision == .seal {
            try Self.requireModelledChoice(session.bootEntry)
            try Self.requirePositiveConfiguration(session.provenance)
            ui.notice(NoticeLine(.warning, label: "transition seal", transition.weakening))
        }
    }

    /// A transition seal covers no command line, so what GRUB could not
    /// model must decide nothing about the entry, its files or its command
    /// lines: a hash check, an unmodelled command, an unreadable script.
    private static func requireModelledChoice(_ entry: GrubBootEntry) throws(CycleError) {
        guard !entry.unknownInfluences.isEmpty else { return }
        throw .checkFailed(
            "nothing was sealed: a transition seal leaves PCR 18 out, and with it the Xen and dom0 command lines, so "
                + "it stands on GRUB choosing at the next boot what the prediction says; but what it chooses depends "
                + "on what this tool cannot follow:\n"
                + entry.unknownInfluences.map { "  - \($0)" }.joined(separator: "\n")
                + "\nIf the file named is not one you wrote, remove it (an evil maid may have); otherwise make the "
                + "configuration plain (no such command), or reboot once without a seal, as stock AEM does after "
                + "every update.")
    }

    /// A transition seal covers no command line (PCR 18 is left out), so
    /// it stands on GRUB choosing at the next boot what it chose in the
    /// prediction: every file GRUB reads must be one a package or a
    /// running proven dom0 wrote, not merely one that was there, unchanged,
    /// when this boot began (a planted `custom.cfg` counting boots in
    /// grubenv would choose otherwise next time).
    private static func requirePositiveConfiguration(_ provenance: ChainProvenance) throws(CycleError) {
        let unproven = provenance.configurationWithoutPositiveVoucher
        guard !unproven.isEmpty else { return }
        throw .checkFailed(
            "nothing was sealed: a transition seal leaves PCR 18 out, and with it the Xen and dom0 command lines, so "
                + "every file GRUB reads to choose them must have been written by a package or by dom0 while a proven "
                + "boot ran; " + (unproven.count == 1 ? "this one was not" : "these were not") + ":\n"
                + unproven.map { "  - " + ProvenanceText.refusal($0) }.joined(separator: "\n")
                + "\nIf you did not write " + (unproven.count == 1 ? "it" : "them")
                + ", remove " + (unproven.count == 1 ? "it" : "them")
                + " (an evil maid may have); if you did and know " + (unproven.count == 1 ? "it is" : "they are")
                + " genuine, name " + (unproven.count == 1 ? "it" : "each") + " with "
                + unproven.map { "--vouch-for \($0.file.grubPath)" }.joined(separator: " ")
                + ". Or reboot once without a seal, as stock AEM does after every update.")
    }

    /// A transition seal about to be made needs consent: `--yes` or the
    /// confirmation prompt that follows (`userCanConsent`), else
    /// `TRANSITION_SEAL=yes` in the tool's configuration (the package
    /// trigger). The plan told the user of the weakening.
    public func requireTransitionConsent(userCanConsent: Bool, layout: SystemLayout) throws(CycleError) {
        guard preconditions.transition != nil, decision == .seal else { return }
        let configuration: ResealConfiguration
        do {
            configuration = try ResealConfiguration.load(layout)
        } catch {
            throw .badInput("cannot read the tool's configuration: \(error.description)")
        }
        if !userCanConsent && !configuration.transitionSealAllowed {
            throw .needsUser(
                "a transition seal needs your consent: run `sudo aem-reseal stage` in a dom0 terminal before "
                    + "rebooting, or allow it for package updates once with TRANSITION_SEAL=yes in "
                    + "\(layout.resealConfiguration). Nothing was sealed.")
        }
    }
}
