/// An evaluated `grub.cfg`: the menu it builds and GRUB's default choice.
public struct GrubConfiguration: Sendable {
    public let settings: GrubEvaluationSettings
    /// The boot partition every path of the configuration is read from.
    public let partition: BootPartition
    public let menu: GrubMenu
    /// `$default` after the configuration ran (GRUB's choice when no key is pressed).
    public let defaultSelection: String?
    /// Things the evaluation could not follow.
    public let notes: [String]
    /// The files the evaluation read, the configuration first.
    public let files: [GrubConfigurationFile]

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
        return try evaluate(String(decoding: bytes, as: UTF8.self), files: files, read: [file])
    }

    /// Evaluates configuration text (paths in it are read from the boot partition `settings` names).
    public static func evaluate(_ text: String, settings: GrubEvaluationSettings) throws(GrubError) -> GrubConfiguration
    {
        try evaluate(text, files: try openFiles(settings), read: [])
    }

    private static func openFiles(_ settings: GrubEvaluationSettings) throws(GrubError) -> GrubFiles {
        do {
            return GrubFiles(partition: try BootPartition(path: settings.bootDirectory), settings: settings)
        } catch {
            throw .unreadable(error)
        }
    }

    private static func evaluate(_ text: String, files: GrubFiles, read: [GrubConfigurationFile]) throws(GrubError)
        -> GrubConfiguration
    {
        let settings = files.settings
        let statements = try GrubParser.parse(
            text, file: settings.configurationFile, maximumDepth: settings.maximumDepth)
        let interpreter = GrubInterpreter(
            files: files, variables: .initial(platform: settings.platform, prefix: settings.prefix))
        let items = try interpreter.buildMenu(statements)
        return GrubConfiguration(
            settings: settings, partition: files.partition, menu: GrubMenu(items: items),
            defaultSelection: interpreter.variables["default"], notes: interpreter.notes,
            files: read + interpreter.filesRead)
    }

    /// A chosen entry with where it sits in the menu.
    public struct Selection: Sendable {
        public var path: [Int]
        public var titles: [String]
        public var entry: GrubMenuEntry

        /// `Title>Title` as GRUB's `default` accepts it.
        public var titlePath: String { titles.joined(separator: ">") }
    }

    /// Finds the entry a GRUB `default`-style selector names: an index, a
    /// title or an `--id`, or a `>`-separated path of them through submenus
    /// (`GrubMenuSelector`). A component that names nothing gives nil; a
    /// path that ends at a submenu continues with the submenu's own default.
    public func entry(named selector: String) -> Selection? {
        choose(in: menu.items, selector: selector, strict: true, path: [], titles: [])
    }

    /// The entry GRUB boots when nobody touches the keyboard: `$default`
    /// resolved as GRUB resolves it, the first item where it names none; a
    /// chosen submenu is entered and its own `default` (set by its body, else
    /// the rest of the path) picks inside it.
    public func defaultEntry() -> Selection? {
        choose(in: menu.items, selector: defaultSelection, strict: false, path: [], titles: [])
    }

    /// One menu level of GRUB's choice. `strict`: a selector that names no
    /// item is an error (a user's `--entry`) rather than GRUB's fallback to
    /// the first item; and a path the user gave wins over a submenu's own
    /// default, as it does when the user picks items by hand.
    private func choose(in items: [GrubMenuItem], selector: String?, strict: Bool, path: [Int], titles: [String])
        -> Selection?
    {
        guard !items.isEmpty else { return nil }
        let parsed = selector.map { GrubMenuSelector($0, items: items) }
        let index: Int
        if let chosen = parsed?.index {
            index = chosen
        } else if strict {
            return nil
        } else {
            index = 0
        }
        switch items[index] {
        case let .entry(entry):
            return Selection(path: path + [index], titles: titles + [entry.title], entry: entry)
        case let .submenu(submenu):
            let next =
                strict
                ? (parsed?.remainder ?? submenu.defaultSelection) : (submenu.defaultSelection ?? parsed?.remainder)
            return choose(
                in: submenu.items, selector: next, strict: strict && parsed?.remainder != nil, path: path + [index],
                titles: titles + [submenu.title])
        }
    }

    /// Every entry that can be booted (runs its commands without error),
    /// with what it loads, in menu order.
    public func bootableEntries() -> [(Selection, GrubBootEntry)] {
        menu.allEntries.compactMap { candidate in
            let selection = Selection(path: candidate.path, titles: candidate.titles, entry: candidate.entry)
            return (try? boot(selection)).map { (selection, $0) }
        }
    }

    /// Runs an entry's commands and returns what it loads.
    public func boot(_ selection: Selection) throws(GrubError) -> GrubBootEntry {
        let run = try run(selection)
        return try GrubBootEntry(selection: selection, commands: run.commands, notes: run.notes, files: run.files)
    }

    /// Runs an entry's commands: the loader commands it ran, word for
    /// word, what could not be followed, and every configuration file read.
    func run(_ selection: Selection) throws(GrubError) -> (
        commands: [GrubLoaderCommand], notes: [String], files: [GrubConfigurationFile]
    ) {
        let interpreter = GrubInterpreter(
            files: GrubFiles(partition: partition, settings: settings), variables: selection.entry.environment,
            functions: selection.entry.functions)
        try interpreter.boot(selection.entry)
        return (interpreter.loaderCommands, interpreter.notes, files + interpreter.filesRead)
    }
}
