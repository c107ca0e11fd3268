import AEMCore
import AEMCycle

/// What `stage` tells the user after sealing: what changed, where the
/// seal is, and what to do and expect at the reboot.
struct StageGuidance {
    var installation: AEMInstallation
    var prediction: Prediction
    var versions: ComponentVersions
    var media: ResealState.Media
    var forced: Bool
    var style: Style

    func render() -> TerminalText {
        var out: TerminalText =
            media.copied
            ? style.bold("Staged.") + " The AEM secrets are sealed to the PCR values the next boot should produce.\n\n"
            : style.red("Sealed on dom0 only: the AEM media does NOT hold the new seal yet. Do not reboot yet.")
                + "\n\n"
        var changed: [TerminalText] = []
        if let mle = prediction.mle, !mle.sameAsCurrentBoot {
            let name = mle.launcher == .tboot ? "tboot" : "Xen (the MLE)"
            changed.append("\(name): \(versions.running(mle) ?? "?") -> \(versions.new(mle))")
        }
        for module in prediction.modules where !module.sameAsCurrentBoot {
            let running = versions.running(module) ?? "?"
            let new = versions.new(module) ?? module.image.grubPath
            changed.append("\(module.role.displayName): \(running) -> \(new)")
        }
        if changed.isEmpty {
            out += "Changed components: none (the new seal equals the old one in effect).\n"
        } else {
            out += "Changed components:\n"
            for line in changed { out += "  - " + line + "\n" }
        }
        let pcrs = prediction.changedSealedPCRs
        out +=
            "Sealed PCRs that change: \(pcrs.isEmpty ? "none" : pcrs.map(String.init).joined(separator: ", ")) "
            + "(\(prediction.flow.sealBank) bank)\n"
        out += "New seal:      \(installation.sealedSetDirectory)\n"
        out += "Previous seal: \(installation.previousSetDirectory) (sudo aem-reseal rollback puts it back)\n"
        if let transition = prediction.transitionSeal {
            out +=
                style.yellow("Transition seal:")
                + " sealed to PCR \(transition.sealedPCRs.map(String.init).joined(separator: ", ")) "
                + "for the next boot only; "
            out +=
                "PCR \(transition.leftOut.map { String($0.pcr) }.joined(separator: ", ")) cannot be predicted. At "
                + "that boot stock AEM reseals to the full SEAL list; `sudo aem-reseal verify` checks it did.\n"
        }
        if forced {
            out +=
                style.red(
                    "This seal was FORCED past a failed self-check: the secret may not appear even on a genuine boot.")
                + "\n"
        }
        guard media.copied else {
            out += style.yellow("AEM media:     not updated: \(media.detail).") + "\n"
            out += "\n" + style.bold("Next:") + "\n"
            out +=
                "  1. Plug in your AEM boot device (the one whose UUID is aem.uuid on the kernel "
                + "command line) and make\n"
            out += "     sure it is mounted read-write.\n"
            out +=
                "  2. Run `sudo aem-reseal stage` again: it copies this same seal to the media "
                + "(nothing is sealed again).\n"
            out +=
                "  3. Then follow what it says. Rebooting now would boot with the old seal on the media: no secret.\n"
            return out
        }
        out += "AEM media:     \(media.detail)\n"
        out += "\n" + style.bold("Next:") + "\n"
        out += "  1. Run `sudo aem-reseal checklist` and fix anything it reports.\n"
        out += "  2. Reboot dom0 now: the update only takes effect after a reboot.\n"
        out +=
            "  3. At the next boot your AEM secret should appear as usual. Check it before "
            + "typing the disk passphrase.\n"
        out += "  4. After logging in, run `sudo aem-reseal verify`.\n\n"
        out += RecoveryAdvice.text
        return out
    }
}

/// `stage --json`: the recorded cycle.
struct StageDocument: Encodable {
    var state: ResealState
    var sealedSet: String
}
