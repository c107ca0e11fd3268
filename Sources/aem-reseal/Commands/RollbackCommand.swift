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

/// `rollback --json`.
struct RollbackDocument: Encodable {
    var phase = ResealState.Phase.rolledBack
    var sealedSet: String
    var media: ResealState.Media
}
