import AEMCore
import ArgumentParser
import Foundation

struct VerifyCommand: LockingCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "After the reboot: check that the live PCRs are the predicted ones.",
        discussion:
            "On success the cycle is marked done and older backups are pruned (the last two are kept). Exits 0 when "
            + "the prediction held, 1 when it did not, 2 when there is nothing to verify."
    )

    @OptionGroup var system: SystemOptions
    @OptionGroup var tpm: TPMOptions
    @OptionGroup var live: PCRsFileOption
    @OptionGroup var output: OutputOptions

    @OptionGroup var aem: LabelOptions

    func runLocked() throws {
        let layout = system.layout
        let style = output.style
        guard var state = (try? ResealState.load(from: layout.stateFile)) ?? nil, let predicted = state.predicted,
            [.staged, .verified, .mismatch].contains(state.phase)
        else {
            throw ToolError(
                "nothing to verify: no staged seal is recorded in \(layout.stateFile) (run `aem-reseal status`)")
        }
        let thisBoot = layout.bootTimeSeconds()
        if let staged = state.stagedInBoot, staged == thisBoot {
            throw ToolError("you have not rebooted since staging: reboot dom0 first, then run `aem-reseal verify`")
        }
        let reading: (PCRValues?, String)
        do {
            reading = try PredictionSession.readLivePCRs(
                TPMChoice(tpm, pcrsFile: live.pcrsFile), layout: layout,
                seal: Array(Set(predicted.banks.flatMap { predicted.pcrs(in: $0) })).sorted())
        } catch {
            throw ToolError(error.description, status: error.status)
        }
        guard let live = reading.0 else { throw ToolError("no live PCR values") }
        let source = reading.1

        var rows = [(bank: HashAlgorithm, pcr: UInt32, predicted: Digest, live: Digest?)]()
        for bank in predicted.banks {
            for pcr in predicted.pcrs(in: bank) { rows.append((bank, pcr, predicted[bank, pcr]!, live[bank, pcr])) }
        }
        let compared = rows.filter { $0.live != nil }
        let failed = compared.filter { $0.live != $0.predicted }
        guard let sealBank = state.sealBank else {
            throw ToolError(
                "\(layout.stateFile) records no seal bank for the staged seal: run `sudo aem-reseal stage` again")
        }
        guard compared.contains(where: { $0.bank == sealBank }) else {
            throw ToolError("the live PCRs (\(source)) have no \(sealBank) values to compare with", status: .tpmFailure)
        }
        let held = failed.isEmpty
        // After a transition seal stock AEM must have resealed to the full
        // SEAL list during this boot: the active set's key.pcrs says so.
        let resealed = state.transitionLeftOutPCRs.flatMap { leftOut -> ResealCheck? in
            guard !leftOut.isEmpty,
                let installation = try? AEMInstallation(layout: layout, label: aem.label ?? state.label)
            else { return nil }
            return ResealCheck(active: installation.sealedSetDirectory, leftOut: leftOut)
        }

        var verification = [String: [String: String]]()
        for row in compared {
            verification[row.bank.rawValue, default: [:]][String(row.pcr)] =
                row.live == row.predicted ? "held" : "differs"
        }
        state.verification = verification
        state.verifiedInBoot = thisBoot
        state.phase = held ? .verified : .mismatch
        if held {
            state.message = "the prediction held at the boot of \(thisBoot.map(String.init) ?? "?")"
            if let installation = try? AEMInstallation(layout: layout, label: aem.label ?? state.label) {
                try? installation.installer.pruneHistory(keeping: 2)
            }
        } else {
            state.message = "the live PCRs differ from the prediction"
        }
        try? state.save(to: layout.stateFile)

        if output.json {
            try JSONOutput.print(
                VerifyDocument(
                    held: held, resealedToFullList: resealed?.done, verification: verification, liveSource: source))
        } else {
            var out = ""
            for row in compared {
                let sealed = row.bank == sealBank && state.sealPCRs.contains(row.pcr)
                let mark = row.live == row.predicted ? style.green("held") : style.red("DIFFERS")
                out +=
                    "  \(pad(row.bank.rawValue, 8)) PCR \(pad(String(row.pcr), 3)) "
                    + "\(mark)\(sealed ? " (sealed)" : "")\n"
                if row.live != row.predicted {
                    out += "      predicted \(row.predicted.hex)\n      live      \(row.live!.hex)\n"
                }
            }
            if held, let resealed, !resealed.done {
                out =
                    style.green("The prediction held:")
                    + " this boot produced exactly the PCR values the transition seal was sealed to.\n" + out
                out +=
                    "\n" + style.red("But AEM has not resealed to the full SEAL list yet")
                    + ": \(resealed.active)/key.pcrs is \"\(resealed.selection)\", "
                out +=
                    "without PCR \(resealed.leftOut.map(String.init).joined(separator: ", ")). Run `sudo systemctl "
                    + "restart anti-evil-maid-seal` (stock AEM's seal service) and check it succeeds.\n"
            } else if held {
                out =
                    style.green("The prediction held:")
                    + " this boot produced exactly the PCR values the secret was sealed to.\n" + out
                out +=
                    resealed.map {
                        "\nAEM resealed to the full SEAL list (\($0.active)/key.pcrs is \"\($0.selection)\"): the "
                            + "transition seal is gone.\n"
                    } ?? ""
                out += "\nThe update cycle is complete. AEM will reseal to this boot as usual.\n"
            } else {
                out =
                    style.red("The prediction did NOT hold:")
                    + " this boot's PCRs differ from the ones the secret was sealed to.\n" + out
                out +=
                    "\nIf your AEM secret did not appear at this boot, this is why. Unless you know the boot chain "
                    + "changed after staging\n"
                out +=
                    "(another update, a GRUB change), treat this boot as possibly compromised: do not "
                    + "trust it with secrets.\n"
                out +=
                    "`aem-reseal predict` shows what the tool expects now; `aem-reseal rollback` "
                    + "restores the previous seal.\n"
            }
            Terminal.standardOutput.write(out)
        }
        if !held || resealed?.done == false { throw ExitCode(ExitStatus.mismatch.rawValue) }
    }
}

/// Whether stock AEM resealed the active set to the full SEAL list after a
/// transition seal: its `key.pcrs` names the PCRs the transition left out.
struct ResealCheck {
    var active: String
    var leftOut: [UInt32]
    var selection: String
    var done: Bool

    init(active: String, leftOut: [UInt32]) {
        self.active = active
        self.leftOut = leftOut
        let text =
            (try? FileBytes.read(active + "/" + SealedSet.selectionFile, limit: 256)).map {
                String(decoding: $0, as: UTF8.self)
            } ?? ""
        selection = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let pcrs = Set(
            selection.split(separator: ":").last.map { $0.split(separator: ",").compactMap { UInt32($0) } } ?? [])
        done = leftOut.allSatisfy(pcrs.contains)
    }
}

struct VerifyDocument: Encodable {
    var held: Bool
    /// After a transition seal: whether AEM resealed to the full SEAL list.
    var resealedToFullList: Bool?
    var verification: [String: [String: String]]
    var liveSource: String
}
