import AEMCore

/// `stage`'s engine, in the order nothing may be skipped: predict (the
/// self-check and every file's provenance), plan (the rules a prediction
/// must pass; nothing to seal when the active seal already opens the next
/// boot), consent to a transition seal, then seal and install, or copy the
/// set staged earlier in this boot that the media lacks.
public enum Staging {
    /// What `stage` did.
    public enum Result {
        /// Nothing was changed: why nothing needs sealing.
        case nothingToSeal(reason: String)
        /// A set was sealed (or copied) and installed.
        case staged(StageOutcome)
    }

    /// - Parameters:
    ///   - progress: called as big files are hashed (path, bytes done, total).
    ///   - predicted: called with the prediction before anything is decided,
    ///     so that the user reads it before any question.
    public static func run(
        _ request: StageRequest, in context: BootContext, ui: any CycleUserInterface,
        progress: (@Sendable (String, Int, Int) -> Void)? = nil,
        predicted: (PredictionSession, ComponentVersions) -> Void = { _, _ in }
    ) throws(CycleError) -> Result {
        do {
            return try stage(request, in: context, ui: ui, progress: progress, predicted: predicted)
        } catch {
            recordPending(after: error, request: request, context: context)
            throw error
        }
    }

    private static func stage(
        _ request: StageRequest, in context: BootContext, ui: any CycleUserInterface,
        progress: (@Sendable (String, Int, Int) -> Void)?,
        predicted: (PredictionSession, ComponentVersions) -> Void
    ) throws(CycleError) -> Result {
        let session = try PredictionSession.run(
            context, sealing: true, vouching: request.vouching, progress: progress)
        let versions = ComponentVersions(layout: context.layout, record: session.currentLog.record)
        predicted(session, versions)

        let plan = try StagePlan(session: session, force: request.force, ui: ui)
        if case let .nothingToSeal(reason) = plan.decision {
            try clearPending(context.layout)
            return .nothingToSeal(reason: reason)
        }
        try plan.requireTransitionConsent(userCanConsent: request.userCanConsent, layout: context.layout)

        let stager = try Stager(
            session: session, versions: versions, plan: plan, label: request.label, mediaOption: context.system.media,
            force: request.force)
        if plan.decision == .copyStagedSet, let state = plan.state {
            return .staged(try stager.copyStagedSet(state: state))
        }
        return .staged(
            try stager.stage(
                srkPasswordFile: request.srkPasswordFile, interactive: request.interactive, confirm: request.confirm,
                ui: ui))
    }

    /// Nothing needs sealing: an update an earlier stage left pending is
    /// no longer pending (`status` says "nothing pending" again).
    private static func clearPending(_ layout: SystemLayout) throws(CycleError) {
        guard try ResealState.read(layout)?.phase == .pending else { return }
        do {
            try DurableFiles.removeTree(layout.stateFile)
        } catch {
            throw .writeFailed("nothing needs sealing, but the pending update could not be cleared: \(error)")
        }
    }

    /// A stage that sealed nothing leaves the update pending in the
    /// journal, with why, so that `status` tells the truth about the next
    /// boot (the rpm trigger's failures are read nowhere else). Not after
    /// the user's own no, another run holding the lock, or a set installed
    /// that only the media lacks (its state says so); never over a state
    /// that could not be read or an interrupted install, which crash
    /// recovery needs as they are, nor over a seal staged in this boot
    /// (`verify` needs it after the reboot; `checklist` re-predicts it);
    /// nowhere without an AEM installation to name. Best effort: the error
    /// thrown is the one to report.
    private static func recordPending(after error: CycleError, request: StageRequest, context: BootContext) {
        switch error {
        case .declined, .busy, .notOnMedia: return
        default: break
        }
        let state: ResealState?
        let installation: AEMInstallation
        let thisBoot: Int64?
        do {
            // Read afresh: the failed run may have written its install journal.
            state = try ResealState.read(context.layout)
            installation = try AEMInstallation(layout: context.layout, label: request.label ?? state?.label)
            thisBoot = try context.bootTime()
        } catch {
            return  // an unreadable state, boot time or no AEM set-up: nothing to record the update against
        }
        if state?.phase == .installing || (state?.phase == .staged && state?.stagedInBoot == thisBoot) { return }
        var pending = state ?? ResealState(phase: .pending, label: installation.label, tpmID: installation.tpmID)
        pending.phase = .pending
        pending.message = error.description
        do {
            try pending.save(to: context.layout.stateFile)
        } catch {
            return  // best effort: the stage's own error is the one reported
        }
    }
}
