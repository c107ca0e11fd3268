/// An evaluated `grub.cfg`: the menu it builds, GRUB's default choice, and
/// what the evaluation could not model.
public struct GrubConfiguration: Sendable {
    public let settings: GrubEvaluationSettings
    /// The boot partition every path of the configuration is read from.
    public let partition: BootPartition
    public let menu: GrubMenu
    /// `$default` after the configuration ran (GRUB's choice when no key is pressed).
    public let defaultSelection: String?
    /// The files the evaluation read, the configuration first.
    public let files: [GrubConfigurationFile]
    /// What building the menu accumulated: budget, unknowns, environment writes.
    let state: GrubEvaluationState
    /// The unknowns `default` depends on.
    let defaultTaint: GrubTaint

    /// Every unknown met while the menu was built, in order.
    public var unknowns: [GrubUnknown] { state.unknowns }
    /// The writes `save_env` makes while the menu is built.
    public var environmentWrites: [GrubEnvironmentWrite] { state.environmentWrites }
    /// Unknowns that could add environment writes not listed, or stop
    /// listed ones.
    public var environmentUncertainty: [GrubUnknown] { state.unknowns(in: state.environment.uncertainty) }

    /// Reads and evaluates the configuration named in `settings`, through
    /// the boot partition when it lies on it.
    public static func load(_ settings: GrubEvaluationSettings) throws(GrubError) -> GrubConfiguration {
        let files = try openFiles(settings)
        let bytes: [UInt8]
        let file: GrubConfigurationFile
        do {
            (bytes, file) = try files.readConfiguration()
        } catch {
            throw .unreadable(error)
        }
        return try evaluate(bytes, files: files, read: [file])
    }

    /// Evaluates configuration text (paths in it are read from the boot partition `settings` names).
    public static func evaluate(_ text: String, settings: GrubEvaluationSettings) throws(GrubError) -> GrubConfiguration
    {
        try evaluate(Array(text.utf8), files: try openFiles(settings), read: [])
    }

    private static func openFiles(_ settings: GrubEvaluationSettings) throws(GrubError) -> GrubFiles {
        do {
            return GrubFiles(partition: try BootPartition(path: settings.bootDirectory), settings: settings)
        } catch {
            throw .unreadable(error)
        }
    }

    private static func evaluate(_ bytes: [UInt8], files: GrubFiles, read: [GrubConfigurationFile]) throws(GrubError)
        -> GrubConfiguration
    {
        let settings = files.settings
        var state = GrubEvaluationState(budget: settings.budget)
        try state.budget.spendScript(bytes: bytes.count, file: settings.configurationFile, line: 1)
        let text: GrubScriptText
        switch GrubScriptText.reading(bytes) {
        case let .success(valid): text = valid
        case let .failure(invalid): throw .invalidEncoding(file: settings.configurationFile, offset: invalid.offset)
        }
        let statements = try GrubParser.parse(
            text, file: settings.configurationFile, maximumDepth: settings.budget.maximumDepth)
        let interpreter = GrubInterpreter(files: files, mode: .menu, state: state, variables: .initial(settings))
        let menu = try interpreter.buildMenu(statements, configurationFile: settings.configFileVariable)
        return GrubConfiguration(
            settings: settings, partition: files.partition, menu: menu,
            defaultSelection: interpreter.variables["default"], files: read + interpreter.state.filesRead,
            state: interpreter.state, defaultTaint: interpreter.variables.taint(of: "default"))
    }

    /// A chosen entry with where it sits in the menu.
    public struct Selection: Sendable {
        public var path: [Int]
        public var titles: [String]
        public var entry: GrubMenuEntry
        /// The unknowns the choice of this entry depends on.
        var choiceTaint = GrubTaint()

        init(path: [Int], titles: [String], entry: GrubMenuEntry) {
            self.path = path
            self.titles = titles
            self.entry = entry
        }

        /// `Title>Title` as GRUB's `default` accepts it.
        public var titlePath: String { titles.joined(separator: ">") }
    }

    /// Finds the entry a GRUB `default`-style selector names: an index, a
    /// title or an `--id`, or a `>`-separated path of them through submenus
    /// (`GrubMenuSelector`). A component that names nothing gives nil; a
    /// path that ends at a submenu continues with the submenu's own default.
    public func entry(named selector: String) -> Selection? {
        choose(in: menu, selector: (selector, GrubTaint()), strict: true, path: [], titles: [], taint: GrubTaint())
    }

    /// The entry GRUB boots when nobody touches the keyboard: `$default`
    /// resolved as GRUB resolves it, the first item where it names none; a
    /// chosen submenu is entered and its own `default` (set by its body, else
    /// the rest of the path) picks inside it.
    public func defaultEntry() -> Selection? {
        choose(
            in: menu, selector: defaultSelection.map { ($0, defaultTaint) }, strict: false, path: [], titles: [],
            taint: defaultTaint)
    }

    /// One menu level of GRUB's choice. `strict`: a selector that names no
    /// item is an error (a user's `--entry`) rather than GRUB's fallback to
    /// the first item; and a path the user gave wins over a submenu's own
    /// default, as it does when the user picks items by hand. `taint`
    /// gathers what the choice depends on, level by level.
    private func choose(
        in level: GrubMenu, selector: (text: String, taint: GrubTaint)?, strict: Bool, path: [Int], titles: [String],
        taint: GrubTaint
    ) -> Selection? {
        let items = level.items
        guard !items.isEmpty else { return nil }
        let parsed = selector.map { GrubMenuSelector($0.text, items: items) }
        let index: Int
        if let chosen = parsed?.index {
            index = chosen
        } else if strict {
            return nil
        } else {
            index = 0
        }
        // No selector: GRUB takes the first item, whatever the titles.
        let matched = parsed == nil ? 0 : parsed?.index
        let taint = taint.union(level.choiceTaint(matched: matched)).union(selector?.taint ?? GrubTaint())
        switch items[index] {
        case let .entry(entry):
            var selection = Selection(path: path + [index], titles: titles + [entry.title], entry: entry)
            selection.choiceTaint = taint
            return selection
        case let .submenu(submenu):
            let remainder = parsed?.remainder.map { ($0, selector?.taint ?? GrubTaint()) }
            let own = submenu.defaultSelection.map { ($0, submenu.defaultTaint) }
            let next = strict ? (remainder ?? own) : (own ?? remainder)
            return choose(
                in: submenu.menu, selector: next, strict: strict && parsed?.remainder != nil, path: path + [index],
                titles: titles + [submenu.title], taint: taint)
        }
    }

    /// Every entry that can be booted (runs its commands without error),
    /// with what it loads, in menu order.
    public func bootableEntries() -> [(Selection, GrubBootEntry)] {
        menu.allEntries.compactMap { candidate in
            let selection = Selection(path: candidate.path, titles: candidate.titles, entry: candidate.entry)
            // an entry that cannot boot is not bootable: listed for the user only
            return (try? boot(selection)).map { (selection, $0) }
        }
    }

    /// Runs an entry's commands and returns what it loads.
    public func boot(_ selection: Selection) throws(GrubError) -> GrubBootEntry {
        try GrubBootEntry(selection: selection, run: try run(selection))
    }

    /// Runs an entry's commands, continuing this evaluation (its budget,
    /// unknowns and environment blocks) from where building the menu left it.
    func run(_ selection: Selection) throws(GrubError) -> GrubEntryRun {
        var state = state
        state.environment = selection.entry.environmentBlocks
        let entry = selection.entry
        var variables = entry.environment
        variables.enterItem(
            chosen: GrubMenuSelector.chosen(after: entry.chosenAtLevel, id: entry.id ?? entry.title),
            levelDefault: variables["default"], defaultTaint: variables.taint(of: "default"), taint: entry.taint)
        let interpreter = GrubInterpreter(
            files: GrubFiles(partition: partition, settings: settings), mode: .entry, state: state,
            variables: variables, functions: entry.functions)
        interpreter.control = selection.entry.taint
        interpreter.possibleFunctions = selection.entry.possibleFunctions
        try interpreter.boot(selection.entry)
        return GrubEntryRun(
            commands: interpreter.loaderCommands,
            files: files + interpreter.state.filesRead.filter { !files.contains($0) },
            state: interpreter.state, outcome: interpreter.outcome, choice: selection.choiceTaint)
    }
}
