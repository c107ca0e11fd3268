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
        let session = try PredictionSession.run(
            context, sealing: true, vouching: request.vouching, progress: progress)
        let versions = ComponentVersions(layout: context.layout, record: session.currentLog.record)
        predicted(session, versions)

        let plan = try StagePlan(session: session, force: request.force, ui: ui)
        if case let .nothingToSeal(reason) = plan.decision { return .nothingToSeal(reason: reason) }
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
}
