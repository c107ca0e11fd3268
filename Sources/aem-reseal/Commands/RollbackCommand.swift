import AEMCore
import ArgumentParser
import Foundation

struct RollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Put the previous sealed set back (on disk and on the AEM media), undoing `stage`.",
        discussion: "Use it when you go back to the previous boot chain. The staged set is kept in history."
    )

    @OptionGroup var system: SystemOptions

    /// Accepted like the other commands; rollback swaps files and needs no TPM.
    @OptionGroup var tpm: TPMOptions

    @OptionGroup var aem: LabelOptions

    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
    var yes = false

    @Flag(help: "Never prompt.")
    var nonInteractive = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        let layout = system.layout
        let lock = try takeRunLock(layout, command: "aem-reseal rollback")
        defer { withExtendedLifetime(lock) {} }
        let installation: AEMInstallation
        do {
            installation = try AEMInstallation(layout: layout, label: aem.label)
        } catch {
            throw failure(error.description)
        }
        let installer = installation.installer
        guard SealedSet.isComplete(at: installer.previousDirectory) else {
            throw failure("there is no previous set in \(installer.previousDirectory) to put back")
        }
        var state = ((try? ResealState.load(from: layout.stateFile)) ?? nil)
            ?? ResealState(phase: .rolledBack, label: installation.label, tpmID: installation.tpmID)
        if !(yes || nonInteractive) {
            guard Prompt.confirm("Put the previous sealed set back in place of the staged one?") else {
                throw failure("nothing was changed (not confirmed; use --yes to skip the question)", status: ExitStatus.needsUser)
            }
        }
        do {
            try installer.recover(pendingIdentifier: state.interruptedSetID, keepReplacedSet: state.keepReplacedSet ?? true)
            try installer.restorePrevious()
        } catch {
            throw failure("restoring the previous set: \(error); the active set is complete (old or new)")
        }

        var mediaNote: String
        switch installation.mediaMountPoint(explicit: system.media) {
        case let .mounted(mountPoint):
            let mediaInstaller = installation.mediaInstaller(mountPoint: mountPoint)
            if SealedSet.isComplete(at: mediaInstaller.previousDirectory) {
                do {
                    try mediaInstaller.recover(
                        pendingIdentifier: state.interruptedSetID, keepReplacedSet: state.keepReplacedMediaSet ?? true)
                    try mediaInstaller.restorePrevious()
                    mediaNote = "restored on \(mediaInstaller.activeDirectory)"
                } catch {
                    mediaNote = "restoring on the media failed: \(error)"
                }
            } else {
                mediaNote = "the media holds no previous set (it was never updated by stage)"
            }
        case let .notMounted(reason):
            mediaNote = "not updated: \(reason); mount it and run rollback again"
        }
        state.phase = .rolledBack
        state.message = "rolled back; media: \(mediaNote)"
        state.media = ResealState.Media(path: nil, copied: false, detail: mediaNote, fingerprint: nil)
        try? state.save(to: layout.stateFile)
        if output.json {
            try JSONOutput.print(["phase": state.phase.rawValue, "sealedSet": installation.sealedSetDirectory, "media": mediaNote])
        } else {
            Terminal.standardOutput.write("Rolled back: \(installation.sealedSetDirectory) holds the previous set again.\nAEM media: \(mediaNote)\n")
        }
    }
}
