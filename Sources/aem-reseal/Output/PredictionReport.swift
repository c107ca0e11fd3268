import AEMCore
import AEMCycle

/// The human form of a prediction: what will boot, what changed, which
/// PCRs move, and whether the model proved itself on this boot.
struct PredictionReport {
    var session: PredictionSession
    var versions: ComponentVersions
    var style: Style
    /// Only what `stage` needs to show: modules, sealed PCR changes, self-check.
    var brief = false

    func render() -> TerminalText {
        let prediction = session.prediction
        var out = header()
        if let tboot = prediction.mle { out += mle(tboot) }
        out += modules()
        for bank in prediction.predicted.banks where !brief || bank == prediction.flow.sealBank { out += pcrs(bank) }
        out += "\n"
        let changing = prediction.changedSealedPCRs
        if changing.isEmpty {
            out += "Sealed PCRs that change: none: the current seal will keep working.\n"
        } else {
            out += style.bold("Sealed PCRs that change: \(changing.map(String.init).joined(separator: ", "))") + "\n"
            out += "  \(prediction.flow.pcrExplanation)\n"
        }
        for warning in session.warnings { out += style.yellow("warning") + ": \(warning)\n" }
        out += "\n" + selfCheckSummary(prediction.selfCheck) + "\n"
        out += provenanceSummary(session.provenance) + "\n"
        return out
    }

    /// The entry, the flow, the log, where the live PCRs come from, SEAL.
    private func header() -> TerminalText {
        let prediction = session.prediction
        var out: TerminalText = ""
        out += style.bold("Boot entry") + "  \(session.bootEntry.titlePath)\n"
        out += "            \(session.grubFile)\n"
        out += style.bold("Flow") + "        \(prediction.flow.name): \(prediction.flow.summary)\n"
        out +=
            style.bold("Event log")
            + "   \(session.currentLog.source) (\(session.currentLog.log.format.rawValue), "
            + "\(session.currentLog.log.events.count) events)\n"
        out += style.bold("Live PCRs") + "   \(session.liveSource)\n"
        out +=
            style.bold("SEAL")
            + "        PCRs \(prediction.sealPCRs.map(String.init).joined(separator: ", ")) "
            + "(\(prediction.flow.sealBank) bank)\n\n"
        return out
    }

    /// The MLE: tboot, or Xen under TrenchBoot.
    private func mle(_ tboot: PredictedMLE) -> TerminalText {
        var out: TerminalText = ""
        let status: TerminalText =
            tboot.sameAsCurrentBoot
            ? "same as the current boot"
            : (tboot.modelProven ? style.yellow("changed") : style.red("cannot be proven"))
        let label = tboot.launcher == .tboot ? "tboot" : "Xen (MLE)"
        out +=
            style.bold("\(label)") + "\(tboot.launcher == .tboot ? "       " : "   ")\(pad(tboot.path, 40))\(status)\n"
        if !tboot.sameAsCurrentBoot { out += "     why       \(tboot.change.evidence)\n" }
        if let provenance = session.provenance.measuredLaunchEnvironment { out += origin(provenance) }
        return out
    }

    /// Each module with what changed and where it comes from, the modules
    /// the launcher does not measure, and GRUB's configuration when it chose anew.
    private func modules() -> TerminalText {
        let prediction = session.prediction
        var out: TerminalText = style.bold("Modules") + "\n"
        for (module, provenance) in zip(prediction.modules, session.provenance.modules) {
            let status: TerminalText
            switch (module.changed, module.sameAsCurrentBoot) {
            case (_, true): status = "same as the current boot"
            case (true, false): status = style.yellow("changed")
            case (false, false): status = style.red("does not reproduce the current boot")
            }
            out +=
                "  \(module.index)  "
                + "\(pad(module.role.displayName, 12))\(pad(module.image.grubPath, 40))\(pad(module.image.compression.rawValue, 6))\(status)\n"
            if module.changed && !module.sameAsCurrentBoot {
                let running = versions.running(module) ?? "?"
                let new = versions.new(module) ?? "?"
                if running != new { out += "     version   \(running) -> \(new)\n" }
                out +=
                    "     why       file: \(module.imageChange.evidence); command line: "
                    + "\(module.commandLineChange.evidence)\n"
            }
            out += origin(provenance)
            for (old, new) in zip(module.current, module.predicted) where !brief {
                if old == new {
                    out += "     \(pad(old.algorithm.rawValue, 10))\(old.hex)\n"
                } else {
                    out += "     \(pad(old.algorithm.rawValue, 10))\(old.hex) (current)\n"
                    out += "     \(pad("", 10))\(new.hex) (next boot)\n"
                }
            }
        }
        if !prediction.droppedModules.isEmpty {
            let by =
                prediction.flow.launcher == .tboot
                ? "dropped by tboot before measuring" : "measured by the launch itself (slaunch_module)"
            out += "  \(by): \(prediction.droppedModules.map(\.grubPath).joined(separator: ", "))\n"
        }
        if session.provenance.configurationChoseAnew {
            out += style.bold("GRUB configuration") + " (it chose other files or command lines than this boot's)\n"
            for file in session.provenance.configuration {
                out += "     \(pad(file.file.grubPath, 40))\n" + origin(file)
            }
        }
        return out
    }

    /// The SEAL PCRs and 17-19 in one bank: same, changes, or cannot be predicted.
    private func pcrs(_ bank: HashAlgorithm) -> TerminalText {
        let prediction = session.prediction
        var out: TerminalText =
            "\n" + style.bold("PCRs, \(bank) bank") + (bank == prediction.flow.sealBank ? " (sealed)" : "") + "\n"
        for pcr in Set(prediction.sealPCRs).union([17, 18, 19]).sorted() {
            if let reason = prediction.flow.unpredictablePCRs[pcr], prediction.current[bank, pcr] != nil {
                out += "  PCR \(pad(String(pcr), 3)) " + style.yellow("cannot be predicted") + ": \(reason)\n"
                continue
            }
            guard let predicted = prediction.predicted[bank, pcr] else { continue }
            let current = prediction.current[bank, pcr]
            let moves = current != nil && current != predicted
            let mark: TerminalText = moves ? style.yellow("changes") : "same"
            out += "  PCR \(pad(String(pcr), 3)) \(mark)\n"
            if moves, let current {
                out += "    current    \(current.hex)\n"
                out += "    predicted  \(predicted.hex)\n"
            } else {
                out += "    \(predicted.hex)\n"
            }
        }
        return out
    }

    /// Where a file that is not this boot's own comes from; nothing for
    /// the booted files.
    private func origin(_ file: FileProvenance) -> TerminalText {
        switch file.provenance {
        case .booted, .carriedOver: return ""
        case .vouched: return "     from      \(ProvenanceText.summary(file.provenance))\n"
        case .unvouched: return "     from      " + style.red("\(ProvenanceText.summary(file.provenance))") + "\n"
        }
    }

    private func provenanceSummary(_ chain: ChainProvenance) -> TerminalText {
        let unvouched = chain.unvouched
        guard !unvouched.isEmpty else {
            return style.green("Provenance: ok")
                + ": every file of the next boot is this boot's own or vouched for (rpm database, this "
                + "transaction, or written while dom0 ran)."
        }
        return style.red("Provenance: NOT VOUCHED FOR")
            + ": \(unvouched.map { ProvenanceText.name($0.file) }.joined(separator: ", ")). Nothing trustworthy "
            + "vouches for \(unvouched.count == 1 ? "it" : "them"): stage will refuse to seal."
    }

    private func selfCheckSummary(_ check: SelfCheck) -> TerminalText {
        switch check.status {
        case .ok:
            return style.green("Self-check: ok")
                + ": the current boot's log replays to the live PCRs, and \(check.verifiedModules.count) module(s) "
                + "prove the model (they, or the booted files they replace, recompute to their logged measurement)."
        case .unconfirmed:
            return style.yellow("Self-check: unconfirmed")
                + ": the log replays to the live PCRs, but every module changed, so none could confirm how this "
                + "machine measures them. Sealing is possible, with a warning."
        case .unavailable:
            return style.yellow("Self-check: unavailable")
                + ": no live PCRs to compare with (--no-tpm). Nothing proves the model on this machine; "
                + "stage will refuse to seal."
        case .mismatch:
            var text =
                style.red("Self-check: MISMATCH")
                + ": the model does not reproduce this boot, so the prediction cannot be trusted:\n"
            for problem in check.problems {
                text += "  - " + TerminalText(problem.text).indentingLines(by: "    ") + "\n"
            }
            return text
        }
    }
}
