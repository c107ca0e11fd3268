import AEMCore
import AEMTPM
import ArgumentParser
import Foundation

struct StageCommand: LockingCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage",
        abstract: "Seal the AEM secrets to the predicted PCRs of the next boot, keeping the current seal for rollback.",
        discussion: """
            Runs the prediction, refuses to seal when its self-check found a mismatch (unless --force), \
            seals a new key to the predicted values in stock AEM's format, installs the new set atomically, \
            copies it to the AEM media when mounted, and tells you what to do next.

            When the sealed PCRs of the next boot are those the active seal already opens on, it seals nothing, \
            says so, and exits 0.

            Exits 7 when the new seal is sealed on dom0 but not on the AEM media: do not reboot then; run stage again \
            once the media is mounted read-write, and it copies the same seal. The exit statuses are listed under aem-reseal.
            """
    )

    @OptionGroup var system: SystemOptions
    @OptionGroup var tpm: TPMOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var aem: LabelOptions

    @Option(help: ArgumentHelp("Read the SRK password from FILE when AEM did not cache it.", valueName: "file"))
    var srkPasswordFile: String?

    @Flag(help: "Seal even when the self-check found a mismatch or could not run. Dangerous; recorded.")
    var force = false

    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
    var yes = false

    @Flag(help: "Never prompt; fail when a password would be needed (package hooks).")
    var nonInteractive = false

    var isUnattended: Bool { nonInteractive }

    func runLocked() throws {
        let style = output.style
        let layout = system.layout
        let session = try PredictionSession.run(system: system, tpm: TPMChoice(tpm), sealing: true)
        let prediction = session.prediction
        let versions = ComponentVersions(layout: layout, record: session.currentLog.record)
        if !output.json {
            Terminal.standardOutput.write(
                PredictionReport(session: session, versions: versions, style: style, brief: true).render() + "\n")
        }

        // The session already refused a log of the other TPM generation.
        let tpmVersion = TPMChoice(tpm).version(layout)

        let preconditions: SealPreconditions
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
        let transition = preconditions.transition
        let sealPCRs = preconditions.sealPCRs

        // Nothing to do when the active seal already opens on the next boot
        // (installing aem-reseal itself, or an update of no measured byte).
        // A set staged in this boot that never reached the media is copied,
        // not sealed again: running stage again is how it gets there.
        let state = (try? ResealState.load(from: layout.stateFile)) ?? nil
        let stagedThisBoot = state.flatMap { state in
            state.phase == .staged && state.stagedInBoot == layout.bootTimeSeconds()
                ? state.sealedTo.map { StageDecision.StagedSet(sealedTo: $0, onMedia: state.media?.copied == true) }
                : nil
        }
        let decision =
            prediction.selfCheck.status == .ok
            ? StageDecision.decide(prediction: prediction, sealPCRs: sealPCRs, stagedThisBoot: stagedThisBoot) : .seal
        if case let .nothingToSeal(reason) = decision {
            if output.json {
                try JSONOutput.print(NothingToSeal(reason: reason))
            } else {
                Terminal.standardOutput.write("Nothing to seal: \(reason). No file was changed.\n")
            }
            return
        }

        // Consent is asked only when a transition seal is about to be made.
        if let transition, decision == .seal {
            Terminal.standardError.write(style.yellow("transition seal") + ": \(transition.weakening)\n")
            if nonInteractive && !yes && !ResealConfiguration.load(layout).transitionSealAllowed {
                throw ToolError(
                    "a transition seal needs your consent: run `sudo aem-reseal stage` in a dom0 terminal before "
                        + "rebooting, or allow it for package updates once with TRANSITION_SEAL=yes in "
                        + "\(layout.resealConfiguration). Nothing was sealed.",
                    status: .needsUser)
            }
        }

        let installation: AEMInstallation
        do {
            installation = try AEMInstallation(layout: layout, label: aem.label)
        } catch {
            throw ToolError(error.description)
        }
        guard !installation.presentSecrets().isEmpty else {
            throw ToolError(
                "no secret to seal in \(installation.plaintextDirectory) (secret.txt, secret.key, "
                    + "secret.otp, secret.fre)"
            )
        }

        let stager = Stager(
            installation: installation, tpmVersion: tpmVersion, session: session, versions: versions,
            mediaOption: system.media,
            sealPCRs: sealPCRs, transition: transition, force: force, style: style)
        if decision == .copyStagedSet, let state {
            try stager.copyStagedSet(state: state, json: output.json)
        } else {
            try stager.stage(
                srkPasswordFile: srkPasswordFile, interactive: !nonInteractive, confirm: !(yes || nonInteractive),
                json: output.json)
        }
    }
}

/// `stage --json` when there is nothing to seal.
private struct NothingToSeal: Encodable {
    var staged = false
    var reason: String
}
