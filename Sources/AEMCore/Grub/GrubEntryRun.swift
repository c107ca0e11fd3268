/// What running a chosen entry's commands gave: its loader commands word
/// for word, every configuration file read, the evaluation's state after
/// it, and the unknowns the entry's choice and its whole run depend on.
struct GrubEntryRun: Sendable {
    var commands: [GrubLoaderCommand]
    var files: [GrubConfigurationFile]
    var state: GrubEvaluationState
    var outcome: GrubTaint
    var choice: GrubTaint

    /// The unknowns that could change which entry is chosen, which files
    /// it loads, or their command lines.
    var influences: [GrubUnknown] {
        var taint = outcome.union(choice)
        for command in commands { taint.formUnion(command.taint) }
        return state.unknowns(in: taint)
    }
}
