import AEMCore
import AEMCycle
import ArgumentParser
import Foundation

struct RollbackCommand: LockingCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Put the previous sealed set back (on disk and on the AEM media), undoing `stage`.",
        discussion: "Use it when you go back to the previous boot chain. The staged set is kept in history."
    )

    @OptionGroup var system: SystemOptions

    @OptionGroup var aem: LabelOptions

    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
    var yes = false

    @Flag(help: "Never prompt: without --yes, stop (exit 5) instead of asking.")
    var nonInteractive = false

    @OptionGroup var output: OutputOptions

    var isUnattended: Bool { nonInteractive }

    func executeLocked() throws(CycleError) -> ExitStatus {
        // Rollback reads no TPM: it puts back files.
        let context = BootContext(system: system.selection, tpm: TPMChoice(alternatives: ""))
        let restored = try PreviousSetRestorer(context, label: aem.label)
            .restore(confirmed: yes, canAsk: !nonInteractive, ui: TerminalUserInterface(style: output.style))
        if output.json {
            try JSONOutput.print(RollbackDocument(sealedSet: restored.sealedSet, media: restored.media))
        } else {
            Terminal.standardOutput.write(
                "Rolled back: \(restored.sealedSet) holds the previous set again.\n"
                    + "AEM media: \(restored.media.detail)\n"
                    + Self.nextBootText(restored.nextBoot, style: output.style)
            )
        }
        guard restored.media.copied else {
            throw .notOnMedia(
                "the AEM media does not hold the previous seal (\(restored.media.detail)): "
                    + "AEM reads the media at boot. Mount it read-write and run `sudo aem-reseal rollback` again.")
        }
        if let notRecorded = restored.notRecorded { throw .writeFailed(notRecorded) }
        return .success
    }
}

extension RollbackCommand {
    /// What the next boot does with the previous seal back, in words.
    static func nextBootText(_ nextBoot: PreviousSetRestorer.NextBoot?, style: Style) -> TerminalText {
        switch nextBoot {
        case nil: return ""
        case .notTheUpdatedFiles:
            return "Next boot: GRUB's default entry loads none of the files the update brought; the previous seal "
                + "opens on the chain this boot ran.\n"
        case let .updatedFiles(paths):
            return style.yellow(
                "Next boot: GRUB's default entry still loads the updated \(paths.joined(separator: ", ")).")
                + " The previous seal opens only on the chain this boot ran, so a normal boot will NOT show the "
                + "secret. Choose the entry of the files this boot used in GRUB's menu, or remove the update, or run "
                + "`sudo aem-reseal stage` to seal for the updated chain again (which undoes this rollback).\n"
        case let .unknown(reason):
            return "Next boot: which files GRUB's default entry loads cannot be told (\(reason)); the previous seal "
                + "opens only on the chain this boot ran.\n"
        }
    }
}

/// `rollback --json`.
struct RollbackDocument: Encodable {
    var phase = ResealState.Phase.rolledBack
    var sealedSet: String
    var media: ResealState.Media
}
