/// What one evaluation accumulates, whichever interpreter runs: the
/// budget spent, the unknowns met (each once), the environment blocks as
/// `save_env` left them, and the files read. Carried from the menu's
/// construction into its submenus and into the chosen entry's run.
struct GrubEvaluationState: Sendable {
    var budget: GrubEvaluationBudget
    private(set) var unknowns: [GrubUnknown] = []
    private var indices: [GrubUnknown: Int] = [:]
    var environment = GrubEnvironmentStore()
    private(set) var filesRead: [GrubConfigurationFile] = []

    init(budget: GrubEvaluationBudget) {
        self.budget = budget
    }

    /// Records an unknown (once) and returns the taint that names it.
    mutating func register(_ unknown: GrubUnknown) -> GrubTaint {
        if let index = indices[unknown] { return GrubTaint(index) }
        indices[unknown] = unknowns.count
        unknowns.append(unknown)
        return GrubTaint(unknowns.count - 1)
    }

    /// Keeps a file the evaluation read (once per content).
    mutating func recordRead(_ file: GrubConfigurationFile) {
        guard !filesRead.contains(file) else { return }
        filesRead.append(file)
    }

    /// The unknowns a taint names, in the order they were met.
    func unknowns(in taint: GrubTaint) -> [GrubUnknown] {
        taint.indices.sorted().map { unknowns[$0] }
    }

    /// The environment changes, with the unknowns each depends on.
    var environmentWrites: [GrubEnvironmentWrite] {
        environment.writes.map {
            GrubEnvironmentWrite(file: $0.file, name: $0.name, value: $0.value, influences: unknowns(in: $0.taint))
        }
    }
}
