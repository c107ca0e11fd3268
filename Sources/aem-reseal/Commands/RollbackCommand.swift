import AEMCore
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

    func runLocked() throws {
        let layout = system.layout
        let installation: AEMInstallation
        do {
            installation = try AEMInstallation(layout: layout, label: aem.label)
        } catch {
            throw ToolError(error.description)
        }
        let installer = installation.installer
        guard SealedSet.isComplete(at: installer.previousDirectory) else {
            throw ToolError("there is no previous set in \(installer.previousDirectory) to put back")
        }
        var state =
            ((try? ResealState.load(from: layout.stateFile)) ?? nil)
            ?? ResealState(phase: .rolledBack, label: installation.label, tpmID: installation.tpmID)
        // A rerun after the media was missing only finishes the media.
        let previous = SealedSet.fingerprint(at: installer.previousDirectory)
        let diskDone = previous != nil && SealedSet.fingerprint(at: installer.activeDirectory) == previous
        if !yes && !diskDone {
            guard !nonInteractive else {
                throw ToolError(
                    "rollback replaces the active seal: it needs --yes with --non-interactive; nothing was changed",
                    status: .needsUser)
            }
            guard Prompt.confirm("Put the previous sealed set back in place of the staged one?") else {
                throw ToolError(
                    "nothing was changed (not confirmed; use --yes to skip the question)", status: .declined)
            }
        }
        if !diskDone {
            do {
                try installer.recover(
                    pendingIdentifier: state.interruptedSetID, keepReplacedSet: state.keepReplacedSet ?? true)
                try installer.restorePrevious()
            } catch {
                throw ToolError(
                    "restoring the previous set: \(error); the active set is complete (old or new)",
                    status: .systemFailure)
            }
        }

        let media = restoreOnMedia(installation, state: state)
        state.phase = .rolledBack
        state.message = "rolled back; media: \(media.detail)"
        state.media = media
        try? state.save(to: layout.stateFile)
        if output.json {
            try JSONOutput.print(RollbackDocument(sealedSet: installation.sealedSetDirectory, media: media))
        } else {
            Terminal.standardOutput.write(
                "Rolled back: \(installation.sealedSetDirectory) holds the previous set again.\nAEM "
                    + "media: \(media.detail)\n"
            )
        }
        guard media.copied else {
            throw ToolError(
                "the AEM media does not hold the previous seal (\(media.detail)): AEM reads the media at boot. "
                    + "Mount it read-write and run `sudo aem-reseal rollback` again.",
                status: .notOnMedia)
        }
    }

    /// Makes the media's active set the one now active on disk: already so,
    /// or by putting the media's own `previous` back (one swap, so the media
    /// holds one whole set whatever happens).
    private func restoreOnMedia(_ installation: AEMInstallation, state: ResealState) -> ResealState.Media {
        switch installation.mediaMountPoint(explicit: system.media) {
        case let .notMounted(reason):
            return ResealState.Media(path: nil, copied: false, detail: "not restored: \(reason)", fingerprint: nil)
        case let .mounted(mountPoint):
            let mediaInstaller = installation.mediaInstaller(mountPoint: mountPoint)
            let wanted = SealedSet.fingerprint(at: installation.sealedSetDirectory)
            func done(_ detail: String) -> ResealState.Media {
                ResealState.Media(path: mountPoint, copied: true, detail: detail, fingerprint: wanted)
            }
            if SealedSet.fingerprint(at: mediaInstaller.activeDirectory) == wanted {
                return done("\(mediaInstaller.activeDirectory) already holds the previous set")
            }
            do {
                try mediaInstaller.recover(
                    pendingIdentifier: state.interruptedSetID, keepReplacedSet: state.keepReplacedMediaSet ?? true)
                guard SealedSet.fingerprint(at: mediaInstaller.previousDirectory) == wanted else {
                    return ResealState.Media(
                        path: mountPoint, copied: false,
                        detail:
                            "not restored: the media's previous set (\(mediaInstaller.previousDirectory)) is not "
                            + "the set now active on dom0",
                        fingerprint: nil)
                }
                try mediaInstaller.restorePrevious()
                return done("restored on \(mediaInstaller.activeDirectory)")
            } catch {
                return ResealState.Media(
                    path: mountPoint, copied: false, detail: "restoring on the media failed: \(error)", fingerprint: nil
                )
            }
        }
    }
}

/// `rollback --json`.
struct RollbackDocument: Encodable {
    var phase = ResealState.Phase.rolledBack
    var sealedSet: String
    var media: ResealState.Media
}
