import AEMCore

/// What `stage` will do after the prediction, decided before anything is
/// touched: the rules a prediction must pass (`SealPreconditions`), whether
/// there is anything to seal at all (`StageDecision`), and whether a
/// transition seal has the user's consent.
struct StagePlan {
    var preconditions: SealPreconditions
    var decision: StageDecision
    /// The state file as this run found it.
    var state: ResealState?

    /// Checks the prediction (warning, loudly when `--force` overrides the
    /// self-check) and decides against the set staged earlier in this boot.
    init(session: PredictionSession, force: Bool, style: Style) throws {
        let prediction = session.prediction
        let layout = session.layout
        // Never seal a chain with a file nothing trustworthy vouches for:
        // --force does not cover it, only the user naming the file does.
        let unvouched = session.provenance.unvouched
        guard unvouched.isEmpty else {
            throw ToolError(
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
                    + "grub2-mkconfig write the file again, then run `sudo aem-reseal stage`.",
                status: .mismatch)
        }
        let userVouched = session.provenance.userVouched
        if !userVouched.isEmpty {
            Terminal.standardError.write(
                style.red(
                    "WARNING: --vouch-for: sealing to \(userVouched.map(\.file.grubPath).joined(separator: ", ")) on "
                        + "your word alone; nothing else vouches for it. This is recorded in the state file.")
                    + "\n")
        }
        do {
            preconditions = try SealPreconditions(prediction: prediction, force: force)
        } catch {
            throw error.toolError(aemConfiguration: layout.aemConfiguration)
        }
        if let overridden = preconditions.overriddenSelfCheck {
            Terminal.standardError.write(
                style.red(
                    "WARNING: --force: sealing to a prediction whose self-check is "
                        + "\(overridden.rawValue.uppercased()). "
                        + "The secret may not appear at the next boot even if the boot chain is genuine, "
                        + "and this is recorded in the state file.") + "\n")
        } else if prediction.selfCheck.status == .unconfirmed {
            Terminal.standardError.write(
                style.yellow("warning") + ": the self-check is unconfirmed: every module changed, "
                    + "so none could prove the model on this machine. Sealing anyway; if the secret does not appear "
                    + "at the next boot, see the guidance below.\n")
        }

        // Nothing to do when the active seal already opens on the next boot
        // (installing aem-reseal itself, or an update of no measured byte).
        // A set staged in this boot that never reached the media is copied,
        // not sealed again: running stage again is how it gets there.
        // A state file that cannot be read is never taken for none: it may
        // record an interrupted stage that only it can finish.
        state = try loadResealState(layout)
        let stagedThisBoot = state.flatMap { state in
            state.phase == .staged && state.stagedInBoot == layout.bootTimeSeconds()
                ? state.sealedTo.map { StageDecision.StagedSet(sealedTo: $0, onMedia: state.media?.copied == true) }
                : nil
        }
        decision =
            prediction.selfCheck.status == .ok
            ? StageDecision.decide(
                prediction: prediction, sealPCRs: preconditions.sealPCRs, stagedThisBoot: stagedThisBoot,
                bootInformationAsBooted: session.provenance.bootInformationAsBooted)
            : .seal
    }

    /// A transition seal about to be made needs consent: `--yes` or the
    /// confirmation prompt that follows (`userCanConsent`), else
    /// `TRANSITION_SEAL=yes` in the tool's configuration (the package
    /// trigger). Shows the weakening first.
    func requireTransitionConsent(userCanConsent: Bool, layout: SystemLayout, style: Style) throws {
        guard let transition = preconditions.transition, decision == .seal else { return }
        Terminal.standardError.write(style.yellow("transition seal") + ": \(transition.weakening)\n")
        let configuration: ResealConfiguration
        do {
            configuration = try ResealConfiguration.load(layout)
        } catch {
            throw ToolError("cannot read the tool's configuration: \(error.description)")
        }
        if !userCanConsent && !configuration.transitionSealAllowed {
            throw ToolError(
                "a transition seal needs your consent: run `sudo aem-reseal stage` in a dom0 terminal before "
                    + "rebooting, or allow it for package updates once with TRANSITION_SEAL=yes in "
                    + "\(layout.resealConfiguration). Nothing was sealed.",
                status: .needsUser)
        }
    }
}
