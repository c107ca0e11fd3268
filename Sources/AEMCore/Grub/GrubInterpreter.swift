/// Runs GRUB script statements the way GRUB's normal mode does, as far as
/// the menu and the loader commands depend on it, and tracks what it
/// cannot model: every value, status and effect carries the unknowns it
/// depends on (`GrubTaint`). A variable set by an unknown or from a
/// tainted word is tainted; a condition whose status is tainted taints
/// everything done under it (`control`), and what its branches not run
/// here could have done (`GrubStaticEffects`); an unknown command taints
/// the whole outcome (`outcome`: the menu level, or the entry run).
final class GrubInterpreter {
    enum Mode {
        /// Building a menu level: grub.cfg, a sourced file, a submenu's body.
        case menu
        /// Running the chosen entry's commands.
        case entry
    }

    let files: GrubFiles
    var settings: GrubEvaluationSettings { files.settings }
    let mode: Mode
    var state: GrubEvaluationState
    var variables: GrubVariables
    var functions: [GrubName: GrubFunction]
    /// Names a branch not run here could have defined as functions.
    var possibleFunctions: [GrubName: GrubTaint] = [:]
    var positional: [String] = []
    var positionalTaint = GrubTaint()
    /// The unknowns whether the current statement runs at all depends on.
    var control = GrubTaint()
    /// The unknowns the whole outcome depends on: for `.menu`, every choice
    /// through this level; for `.entry`, everything the entry loads.
    var outcome = GrubTaint()
    /// The status of the last statement, `$?` (nil before any).
    var lastStatus: GrubStatus?
    /// `chosen` at this level: the path of the submenus GRUB entered to
    /// build it (nil at the top).
    var chosen: String?

    // Menu construction.
    var items: [GrubMenuItem] = []
    /// Indices in `items` of entries defined at this level, to receive the
    /// final environment of the level.
    var entryIndices: [Int] = []
    /// Submenus of this level, built when the level has run.
    var pendingSubmenus: [PendingSubmenu] = []
    var uncertainties: [GrubMenuUncertainty] = []
    struct PendingSubmenu {
        var index: Int
        var body: [GrubStatement]
        var line: Int
        var file: String
    }

    // The entry's run.
    private(set) var loaderCommands: [GrubLoaderCommand] = []

    var depth = 0
    var sourceDepth = 0
    var currentFile: String

    init(
        files: GrubFiles, mode: Mode, state: GrubEvaluationState, variables: GrubVariables,
        functions: [GrubName: GrubFunction] = [:]
    ) {
        self.files = files
        self.mode = mode
        self.state = state
        self.variables = variables
        self.functions = functions
        currentFile = files.settings.configurationFile
    }

    // MARK: Entry points

    /// Runs a configuration and returns the menu level it builds. For
    /// grub.cfg itself (`configurationFile`, its GRUB path), GRUB names it
    /// in `config_file` and `config_directory` while it runs and unsets
    /// them after: submenus and entries run without them.
    func buildMenu(_ statements: [GrubStatement], configurationFile: String? = nil) throws(GrubError) -> GrubMenu {
        if let configurationFile { setConfigurationVariables(configurationFile) }
        _ = try run(statements)
        if configurationFile != nil {
            variables.unset("config_file", taint: GrubTaint())
            variables.unset("config_directory", taint: GrubTaint())
        }
        for pending in pendingSubmenus { try buildSubmenu(pending) }
        return GrubMenu(items: finishLevel(), uncertainties: uncertainties, outcome: outcome)
    }

    /// Runs an entry's body, collecting its loader commands.
    func boot(_ entry: GrubMenuEntry) throws(GrubError) {
        // GRUB runs the entry with its title as $1 and its extra words after.
        positional = [entry.title] + entry.arguments
        positionalTaint = entry.argumentsTaint
        currentFile = entry.file
        _ = try run(entry.body)
    }

    // MARK: Statements

    /// Runs statements; returns the status of the last one.
    func run(_ statements: [GrubStatement]) throws(GrubError) -> GrubStatus {
        var status = GrubStatus.success
        for statement in statements { status = try run(statement) }
        return status
    }

    private func run(_ statement: GrubStatement) throws(GrubError) -> GrubStatus {
        try state.budget.spendStep(file: currentFile, line: statement.line)
        let status: GrubStatus
        switch statement {
        case let .command(words, line):
            status = try command(words, line: line)
        case let .conditional(branches, otherwise, line):
            status = try conditional(branches, otherwise, line: line)
        case let .menu(kind, words, body, line):
            try defineMenu(kind: kind, words: words, body: body, line: line)
            status = .success
        case let .function(name, body, _):
            functions[GrubName(name)] = GrubFunction(body: body, file: currentFile, taint: control)
            status = .success
        case let .loop(name, words, body, line):
            status = try loop(name, words, body, line: line)
        }
        lastStatus = status
        return status
    }

    /// `if`/`elif`/`else`: the branch runs under the taint of every
    /// condition that decided it, and what the others could have done is
    /// tainted with it.
    private func conditional(_ branches: [GrubBranch], _ otherwise: [GrubStatement]?, line: Int) throws(GrubError)
        -> GrubStatus
    {
        var decisive = GrubTaint()
        var chosen: Int?
        var result = GrubStatus.success
        for (index, branch) in branches.enumerated() {
            let condition = try under(decisive) { () throws(GrubError) in try run(branch.condition) }
            decisive.formUnion(consume(condition))
            if condition.succeeded {
                result = try under(decisive) { () throws(GrubError) in try run(branch.body) }
                chosen = index
                break
            }
        }
        if chosen == nil, let otherwise {
            result = try under(decisive) { () throws(GrubError) in try run(otherwise) }
            chosen = branches.count
        }
        guard !decisive.isEmpty else { return result }
        var notRun = [GrubStatement]()
        for (index, branch) in branches.enumerated() where index != chosen {
            if let chosen, index > chosen { notRun += branch.condition }
            notRun += branch.body
        }
        if chosen != branches.count, let otherwise { notRun += otherwise }
        applyPossibleEffects(of: notRun, taint: decisive.union(control))
        return result.tainted(decisive)
    }

    /// `for name in words`: a tainted word list makes the number of
    /// iterations, and the values, unknown.
    private func loop(_ name: String, _ words: [GrubWord], _ body: [GrubStatement], line: Int) throws(GrubError)
        -> GrubStatus
    {
        let (values, taint) = try expand(words, line: line)
        var status = GrubStatus.success
        try under(taint) { () throws(GrubError) in
            for value in values {
                try setVariable(name, value, taint: taint, line: line)
                status = try run(body)
            }
        }
        guard !taint.isEmpty else { return status }
        variables.addTaint(name, taint.union(control))
        applyPossibleEffects(of: body, taint: taint.union(control))
        return status.tainted(taint)
    }

    /// Runs `body` with `taint` added to the control taint.
    func under<T>(_ taint: GrubTaint, _ body: () throws(GrubError) -> T) throws(GrubError) -> T {
        let saved = control
        control.formUnion(taint)
        defer { control = saved }
        return try body()
    }

    /// The taint of a status a condition (or `$?`) uses: an unmodelled
    /// status becomes an unknown here.
    func consume(_ status: GrubStatus) -> GrubTaint {
        guard let unmodelled = status.unmodelled else { return status.taint }
        let unknown = GrubUnknown(
            file: unmodelled.file, line: unmodelled.line, kind: .unmodelledStatus(unmodelled.command))
        return status.taint.union(state.register(unknown))
    }

    /// Records an unknown met here.
    func register(_ kind: GrubUnknown.Kind, line: Int) -> GrubTaint {
        state.register(GrubUnknown(file: currentFile, line: line, kind: kind))
    }

    /// Something beyond telling happened (an unknown command, a file that
    /// could hold anything): the whole outcome, and the environment
    /// writes, depend on `taint`.
    func becomeUnbounded(_ taint: GrubTaint) {
        outcome.formUnion(taint)
        state.environment.uncertainty.formUnion(taint)
    }

    func recordLoaderCommand(_ command: GrubLoaderCommand) {
        loaderCommands.append(command)
    }
}
