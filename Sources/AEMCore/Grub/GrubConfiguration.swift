/// An evaluated `grub.cfg`: the menu it builds and GRUB's default choice.
public struct GrubConfiguration: Sendable {
    public let settings: GrubEvaluationSettings
    public let menu: GrubMenu
    /// `$default` after the configuration ran (GRUB's choice when no key is pressed).
    public let defaultSelection: String?
    /// Things the evaluation could not follow.
    public let notes: [String]

    /// Reads and evaluates the configuration named in `settings`.
    public static func load(_ settings: GrubEvaluationSettings) throws(GrubError) -> GrubConfiguration {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(settings.configurationFile, limit: settings.maximumFileSize)
        } catch {
            throw .noSuchEntry("cannot read the GRUB configuration: \(error.description)")
        }
        return try evaluate(String(decoding: bytes, as: UTF8.self), settings: settings)
    }

    /// Evaluates configuration text.
    public static func evaluate(_ text: String, settings: GrubEvaluationSettings) throws(GrubError) -> GrubConfiguration {
        let statements = try GrubParser.parse(text, file: settings.configurationFile, maximumDepth: settings.maximumDepth)
        let interpreter = GrubInterpreter(
            settings: settings, variables: .initial(platform: settings.platform, prefix: settings.prefix))
        let items = try interpreter.buildMenu(statements)
        return GrubConfiguration(
            settings: settings, menu: GrubMenu(items: items), defaultSelection: interpreter.variables["default"],
            notes: interpreter.notes)
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
    /// title or an `--id`, or a `>`-separated path of them through submenus.
    public func entry(named selector: String) -> Selection? {
        var items = menu.items
        var path = [Int]()
        var titles = [String]()
        let components = selector.split(separator: ">", omittingEmptySubsequences: false).map(String.init)
        for (position, component) in components.enumerated() {
            guard let index = Self.index(of: component, in: items) else { return nil }
            path.append(index)
            titles.append(items[index].title)
            switch items[index] {
            case let .entry(entry):
                return position == components.count - 1 ? Selection(path: path, titles: titles, entry: entry) : nil
            case let .submenu(submenu):
                items = submenu.items
            }
        }
        return nil
    }

    private static func index(of component: String, in items: [GrubMenuItem]) -> Int? {
        if let number = Int(component) { return number >= 0 && number < items.count ? number : nil }
        return items.firstIndex { $0.id == component } ?? items.firstIndex { $0.title == component }
    }

    /// The entry GRUB boots when nobody touches the keyboard: `$default`
    /// resolved like `entry(named:)`; GRUB falls back to the first entry
    /// when it names nothing, and descends into a submenu's first entry.
    public func defaultEntry() -> Selection? {
        if let selector = defaultSelection, !selector.isEmpty, let chosen = entry(named: selector) {
            return chosen
        }
        var items = menu.items
        var path = [Int]()
        var titles = [String]()
        while let first = items.first {
            path.append(0)
            titles.append(first.title)
            switch first {
            case let .entry(entry): return Selection(path: path, titles: titles, entry: entry)
            case let .submenu(submenu): items = submenu.items
            }
        }
        return nil
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
        let interpreter = GrubInterpreter(settings: settings, variables: selection.entry.environment, functions: selection.entry.functions)
        try interpreter.boot(selection.entry)
        return try GrubBootEntry(selection: selection, commands: interpreter.loaderCommands, notes: interpreter.notes)
    }
}
