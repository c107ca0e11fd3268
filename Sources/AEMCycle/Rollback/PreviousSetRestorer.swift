import AEMCore
import Foundation

/// `rollback`'s work: the previous sealed set put back in place of the
/// staged one, on disk and on the AEM media, each in one swap; a rerun
/// after the media was missing only finishes the media.
public struct PreviousSetRestorer {
    public var context: BootContext
    public var label: String?

    public init(_ context: BootContext, label: String?) {
        self.context = context
        self.label = label
    }

    var layout: SystemLayout { context.layout }
    var mediaOption: String? { context.system.media }

    /// What was restored, and where the media stands.
    public struct Restored {
        /// The folder that holds the previous set again.
        public var sealedSet: String
        /// Where the media stands.
        public var media: ResealState.Media
        /// Why the rollback is not in the state file, when saving it failed.
        public var notRecorded: String?
        /// What GRUB's default entry boots now, against the chain the
        /// rolled-back seal was made for; nil when no staged seal recorded
        /// its files.
        public var nextBoot: NextBoot?
    }

    /// The boot GRUB makes by default after a rollback. The previous seal
    /// opens on the chain this boot ran: if the default entry still loads
    /// the files the update brought, the next normal boot shows no secret.
    public enum NextBoot: Sendable, Equatable {
        /// It loads these files (GRUB paths), which the rolled-back seal
        /// was predicted from and which differ from this boot's.
        case updatedFiles([String])
        /// It loads none of the files the update brought.
        case notTheUpdatedFiles
        /// GRUB's configuration could not be evaluated, or an unknown may
        /// change what it loads: the reason.
        case unknown(String)
    }

    /// - Parameters:
    ///   - confirmed: `--yes`: no question is asked.
    ///   - canAsk: a question may be asked (not `--non-interactive`).
    ///   - ui: where the question is asked.
    public func restore(confirmed: Bool, canAsk: Bool, ui: any CycleUserInterface) throws(CycleError) -> Restored {
        let installation: AEMInstallation
        do {
            installation = try AEMInstallation(layout: layout, label: label)
        } catch {
            throw .badInput(error.description)
        }
        let installer: SealedSetInstaller
        let previousSet: StoredSealedSet?
        let active: StoredSealedSet?
        do {
            installer = try installation.installer()
            previousSet = try installer.readPrevious()
            active = try installer.readActive()
        } catch {
            throw .badInput("reading the sealed sets: \(error)")
        }
        guard let previousSet, previousSet.isComplete else {
            throw .badInput("there is no previous set in \(installation.previousSetDirectory) to put back")
        }
        var state =
            try context.state()
            ?? ResealState(phase: .rolledBack, label: installation.label, tpmID: installation.tpmID)
        // A rerun after the media was missing only finishes the media.
        let previous = previousSet.fingerprint
        let diskDone = previous != nil && active?.fingerprint == previous
        if !confirmed && !diskDone {
            guard canAsk else {
                throw .needsUser(
                    "rollback replaces the active seal: it needs --yes with --non-interactive; nothing was changed")
            }
            switch ui.confirm("Put the previous sealed set back in place of the staged one?") {
            case .yes: break
            case .no: throw .declined("nothing was changed (not confirmed; use --yes to skip the question)")
            case .noTerminal:
                throw .needsUser(
                    "nothing was changed: there is no terminal to ask whether to roll back; run it in a terminal, "
                        + "or add --yes")
            }
        }
        if !diskDone {
            do {
                try installer.recover(
                    pendingIdentifier: state.interruptedSetID, keepReplacedSet: state.keepReplacedSet ?? true)
                try installer.restorePrevious()
            } catch {
                throw .writeFailed("restoring the previous set: \(error); the active set is complete (old or new)")
            }
        }

        let media = restoreOnMedia(installation, state: state)
        state.phase = .rolledBack
        state.message = "rolled back; media: \(media.detail)"
        state.media = media
        var restored = Restored(
            sealedSet: installation.sealedSetDirectory, media: media, nextBoot: nextBoot(updated: state.modules))
        do {
            try state.save(to: layout.stateFile)
        } catch {
            restored.notRecorded = "rolled back, but recording it in \(layout.stateFile) failed: \(error)"
        }
        return restored
    }

    /// What GRUB's default entry loads, against `updated` (the modules the
    /// staged seal was predicted from).
    private func nextBoot(updated modules: [ResealState.Module]) -> NextBoot? {
        let changed = Set(modules.filter(\.changed).map(\.path))
        guard !changed.isEmpty else { return nil }
        let entry: GrubBootEntry
        do {
            entry = try PredictionSession.loadBootEntry(context.system, settings: try context.grubSettings()).entry
        } catch {
            return .unknown("\(error)")
        }
        if let unknown = entry.unknownInfluences.first { return .unknown(unknown.description) }
        let loaded = [entry.kernelPath] + entry.modules.map(\.path)
        let updated = loaded.filter(changed.contains)
        return updated.isEmpty ? .notTheUpdatedFiles : .updatedFiles(updated)
    }

    /// Makes the media's active set the one now active on disk: already so,
    /// or by putting the media's own `previous` back (one swap, so the media
    /// holds one whole set whatever happens).
    private func restoreOnMedia(_ installation: AEMInstallation, state: ResealState) -> ResealState.Media {
        switch installation.media(explicit: mediaOption) {
        case let .notMounted(reason):
            return ResealState.Media(path: nil, copied: false, detail: "not restored: \(reason)", fingerprint: nil)
        case let .mounted(media):
            let mountPoint = media.mountPoint
            let mediaInstaller = installation.mediaInstaller(media)
            let wanted: String
            do {
                guard let active = try installation.installer().readActive(), let fingerprint = active.fingerprint
                else {
                    return ResealState.Media(
                        path: mountPoint, copied: false, detail: "not restored: dom0 has no active set to copy",
                        fingerprint: nil)
                }
                wanted = fingerprint
            } catch {
                return ResealState.Media(
                    path: mountPoint, copied: false,
                    detail: "not restored: dom0's active set cannot be read to compare: \(error)", fingerprint: nil)
            }
            func done(_ detail: String) -> ResealState.Media {
                ResealState.Media(path: mountPoint, copied: true, detail: detail, fingerprint: wanted)
            }
            do {
                if try mediaInstaller.readActive()?.fingerprint == wanted {
                    return done("\(mediaInstaller.activeDirectory) already holds the previous set")
                }
                try mediaInstaller.recover(
                    pendingIdentifier: state.interruptedSetID, keepReplacedSet: state.keepReplacedMediaSet ?? true)
                guard try mediaInstaller.readPrevious()?.fingerprint == wanted else {
                    return ResealState.Media(
                        path: mountPoint, copied: false,
                        detail:
                            "not restored: the media's previous set (\(mediaInstaller.previousDirectory)) is not "
                            + "the set now active on dom0",
                        fingerprint: nil)
                }
                guard media.isStillMounted else {
                    return ResealState.Media(
                        path: mountPoint, copied: false,
                        detail: "not restored: the AEM media is no longer mounted at \(mountPoint)", fingerprint: nil)
                }
                try mediaInstaller.restorePrevious()
                guard media.isStillMounted else {
                    return ResealState.Media(
                        path: mountPoint, copied: false,
                        detail: "the AEM media was unmounted from \(mountPoint) during the restore", fingerprint: nil)
                }
                return done("restored on \(mediaInstaller.activeDirectory)")
            } catch {
                return ResealState.Media(
                    path: mountPoint, copied: false, detail: "restoring on the media failed: \(error)", fingerprint: nil
                )
            }
        }
    }
}
