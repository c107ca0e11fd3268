import Foundation

/// Runs GRUB script statements the way GRUB's normal mode does, as far as
/// the menu and the loader commands depend on it. Commands that only touch
/// hardware or the screen (`insmod`, `echo`, `search`, ...) do nothing and
/// succeed; anything that could change what is loaded but cannot be
/// followed is recorded in `notes`.
final class GrubInterpreter {
    private let files: GrubFiles
    private var settings: GrubEvaluationSettings { files.settings }
    private(set) var variables: GrubVariables
    private var functions: [String: [GrubStatement]]
    private var positional: [String] = []
    private(set) var items: [GrubMenuItem] = []
    /// Indices in `items` of entries defined at this level, to receive the
    /// final environment of the level.
    private var entryIndices: [Int] = []
    /// Submenus of this level, built when the level has run.
    private var pendingSubmenus: [PendingSubmenu] = []
    private struct PendingSubmenu {
        var index: Int
        var body: [GrubStatement]
        var line: Int
        var file: String
    }
    private(set) var notes: [String] = []
    private(set) var loaderCommands: [GrubLoaderCommand] = []
    /// The files `source` and `load_env` read, in order.
    private(set) var filesRead: [GrubConfigurationFile] = []
    private var steps: Int
    /// Bytes all expansions produced so far (`maximumExpansionBytes`).
    private var expandedBytes: Int
    private var depth = 0
    private var sourceDepth = 0
    private var currentFile: String

    init(
        files: GrubFiles, variables: GrubVariables, functions: [String: [GrubStatement]] = [:], steps: Int = 0,
        expandedBytes: Int = 0
    ) {
        self.files = files
        self.variables = variables
        self.functions = functions
        self.steps = steps
        self.expandedBytes = expandedBytes
        currentFile = files.settings.configurationFile
    }

    // MARK: Entry points

    /// Runs a configuration and returns the menu it builds.
    func buildMenu(_ statements: [GrubStatement]) throws(GrubError) -> [GrubMenuItem] {
        _ = try run(statements)
        for pending in pendingSubmenus { try buildSubmenu(pending) }
        return finishLevel()
    }

    /// Gives entries of this level the level's final variables.
    private func finishLevel() -> [GrubMenuItem] {
        for index in entryIndices {
            if case var .entry(entry) = items[index] {
                entry.environment = variables
                entry.functions = functions
                items[index] = .entry(entry)
            }
        }
        return items
    }

    /// Runs an entry's body, collecting its loader commands.
    func boot(_ entry: GrubMenuEntry) throws(GrubError) {
        // GRUB runs the entry with its title as $1 and its extra words after.
        positional = [entry.title] + entry.arguments
        currentFile = entry.file
        _ = try run(entry.body)
    }

    // MARK: Statements

    /// Runs statements; returns the status of the last one (true = success).
    @discardableResult
    private func run(_ statements: [GrubStatement]) throws(GrubError) -> Bool {
        var status = true
        for statement in statements { status = try run(statement) }
        return status
    }

    private func run(_ statement: GrubStatement) throws(GrubError) -> Bool {
        steps += 1
        guard steps <= settings.maximumSteps else {
            throw .limitExceeded(
                file: currentFile, line: line(of: statement), what: "the number of evaluation steps",
                limit: settings.maximumSteps)
        }
        switch statement {
        case let .command(words, line):
            return try command(words, line: line)
        case let .conditional(branches, otherwise, _):
            for branch in branches {
                if try run(branch.condition) { return try run(branch.body) }
            }
            if let otherwise { return try run(otherwise) }
            return true
        case let .menu(kind, words, body, line):
            try defineMenu(kind: kind, words: words, body: body, line: line)
            return true
        case let .function(name, body, _):
            functions[name] = body
            return true
        case let .loop(name, words, body, line):
            var status = true
            for value in try expand(words, line: line) {
                try setVariable(name, value, line: line)
                status = try run(body)
            }
            return status
        }
    }

    private func line(of statement: GrubStatement) -> Int {
        switch statement {
        case let .command(_, line), let .conditional(_, _, line), let .menu(_, _, _, line), let .function(_, _, line),
            let .loop(_, _, _, line):
            return line
        }
    }

    // MARK: Menus

    private func defineMenu(kind: GrubMenuKind, words: [GrubWord], body: [GrubStatement], line: Int) throws(GrubError) {
        let arguments = try expand(words, line: line)
        var title: String?
        var id: String?
        var rest = [String]()
        // GRUB registers menuentry with ACCEPT_DASH: its own options are
        // taken out, any other dash word is an ordinary argument, and "--"
        // ends the options.
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if !optionsEnded {
                switch argument {
                case "--":
                    optionsEnded = true
                    continue
                case "--class", "--users", "--hotkey", "--source":
                    index += 1
                    continue
                case "--unrestricted":
                    continue
                case "--id":
                    id = index < arguments.count ? arguments[index] : nil
                    index += 1
                    continue
                default:
                    if argument.hasPrefix("--id=") {
                        id = String(argument.dropFirst(5))
                        continue
                    }
                    if ["--class=", "--users=", "--hotkey=", "--source="].contains(where: argument.hasPrefix) {
                        continue
                    }
                }
            }
            if title == nil {
                title = argument
            } else {
                rest.append(argument)
            }
        }
        guard let title else {
            throw .syntax(file: currentFile, line: line, message: "\(kind.rawValue) without a title")
        }

        switch kind {
        case .entry:
            entryIndices.append(items.count)
            items.append(
                .entry(
                    GrubMenuEntry(
                        title: title, id: id, arguments: rest, body: body, environment: variables, functions: functions,
                        file: currentFile)))
        case .submenu:
            // GRUB runs a submenu's body when the submenu is entered, after
            // the whole level ran: it is built in `finishLevel`.
            pendingSubmenus.append(PendingSubmenu(index: items.count, body: body, line: line, file: currentFile))
            items.append(.submenu(GrubSubmenu(title: title, id: id, items: [], defaultSelection: nil)))
        }
    }

    /// Builds a submenu from the level's final state (exported variables
    /// and functions), as GRUB does when the submenu is entered.
    private func buildSubmenu(_ pending: PendingSubmenu) throws(GrubError) {
        guard case var .submenu(submenu) = items[pending.index] else { return }
        guard depth + 1 <= settings.maximumDepth else {
            throw .limitExceeded(
                file: pending.file, line: pending.line, what: "the submenu depth", limit: settings.maximumDepth)
        }
        // GRUB hands a submenu the rest of a `default` path, not the
        // outer `default`: only what the body sets is the submenu's own.
        var childVariables = variables.exportedOnly
        childVariables["default"] = nil
        let child = GrubInterpreter(
            files: files, variables: childVariables, functions: functions, steps: steps, expandedBytes: expandedBytes)
        child.currentFile = pending.file
        child.depth = depth + 1
        child.sourceDepth = sourceDepth
        submenu.items = try child.buildMenu(pending.body)
        submenu.defaultSelection = child.variables["default"]
        steps = child.steps
        expandedBytes = child.expandedBytes
        notes += child.notes
        filesRead += child.filesRead
        items[pending.index] = .submenu(submenu)
    }

    // MARK: Commands

    private func command(_ words: [GrubWord], line: Int) throws(GrubError) -> Bool {
        let arguments = try expand(words, line: line)
        guard let name = arguments.first else { return true }
        let rest = Array(arguments.dropFirst())

        if GrubLoaderCommand.names.contains(name) {
            loaderCommands.append(GrubLoaderCommand(name: name, arguments: rest, file: currentFile, line: line))
            return true
        }
        if let body = functions[name] {
            return try call(body, arguments: rest, line: line)
        }
        switch name {
        case "set":
            guard let assignment = rest.first else { return true }
            return try assign(assignment, line: line)
        case "unset":
            for variable in rest { variables[variable] = nil }
            return true
        case "export":
            for variable in rest { variables.export(variable) }
            return true
        case "[", "test":
            // GRUB drops a closing "]" and tolerates its absence, for both names.
            return try test(rest.last == "]" ? Array(rest.dropLast()) : rest, line: line)
        case "true":
            return true
        case "false":
            return false
        case "load_env":
            return try loadEnvironment(rest, line: line)
        case "source", ".":
            return try source(rest.first, line: line)
        case "configfile", "blscfg", "legacy_configfile", "extract_entries_source", "normal":
            notes.append("\(currentFile):\(line): \"\(name)\" is not followed; entries it would add are not considered")
            return true
        default:
            // Not a command GRUB knows here: as GRUB does, try it as
            // `name=value`; GRUB ignores any words after it.
            if name.contains("="), !name.hasPrefix("=") {
                return try assign(name, line: line)
            }
            return true
        }
    }

    private func test(_ words: [String], line: Int) throws(GrubError) -> Bool {
        do {
            return try GrubTestExpression.evaluate(words, fileKind: files.kind)
        } catch {
            switch error {
            case .nestingTooDeep:
                throw .limitExceeded(
                    file: currentFile, line: line, what: "the nesting of ( in a test",
                    limit: GrubTestExpression.maximumNesting)
            case let .unsupportedOperator(name):
                throw .unsupportedTestOperator(file: currentFile, line: line, operator: name)
            }
        }
    }

    private func assign(_ assignment: String, line: Int) throws(GrubError) -> Bool {
        guard let equals = assignment.firstIndex(of: "=") else { return true }
        let name = String(assignment[..<equals])
        guard !name.isEmpty else { return false }
        try setVariable(name, String(assignment[assignment.index(after: equals)...]), line: line)
        return true
    }

    /// Sets a variable, its value bounded by `maximumValueSize` bytes.
    private func setVariable(_ name: String, _ value: String, line: Int) throws(GrubError) {
        guard value.utf8.count <= settings.maximumValueSize else {
            throw .limitExceeded(
                file: currentFile, line: line, what: "the size of variable \"\(name)\"'s value in bytes",
                limit: settings.maximumValueSize)
        }
        variables[name] = value
    }

    private func call(_ body: [GrubStatement], arguments: [String], line: Int) throws(GrubError) -> Bool {
        depth += 1
        defer { depth -= 1 }
        guard depth <= settings.maximumDepth else {
            throw .limitExceeded(
                file: currentFile, line: line, what: "the function call depth", limit: settings.maximumDepth)
        }
        let saved = positional
        positional = arguments
        defer { positional = saved }
        return try run(body)
    }

    /// `load_env [-f FILE] [--skip-sig] [NAME...]`.
    private func loadEnvironment(_ arguments: [String], line: Int) throws(GrubError) -> Bool {
        var file = files.defaultEnvironmentBlock
        var whitelist = [String]()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "-f" || argument == "--file", index + 1 < arguments.count {
                file = arguments[index + 1]
                index += 2
                continue
            }
            if argument.hasPrefix("--file=") {
                file = String(argument.dropFirst(7))
            } else if !argument.hasPrefix("-") {
                whitelist.append(argument)
            }
            index += 1
        }
        let bytes: [UInt8]
        do {
            var (read, record) = try files.read(file, limit: GrubEnvironmentBlock.maximumSize)
            bytes = read
            record.isEnvironmentBlock = true
            filesRead.append(record)
        } catch {
            notes.append("load_env: \(error); GRUB would fail the same way")
            return false
        }
        guard let values = try? GrubEnvironmentBlock.parse(bytes, file: file) else {
            notes.append("load_env: \(file) is not a GRUB environment block")
            return false
        }
        for (name, value) in values where whitelist.isEmpty || whitelist.contains(name) {
            try setVariable(name, value, line: line)
        }
        return true
    }

    private func source(_ grubPath: String?, line: Int) throws(GrubError) -> Bool {
        guard let grubPath else { return false }
        guard sourceDepth < settings.maximumSourceDepth else {
            throw .limitExceeded(
                file: currentFile, line: line, what: "the depth of nested \"source\"",
                limit: settings.maximumSourceDepth)
        }
        guard let (bytes, file) = try? files.read(grubPath, limit: settings.maximumFileSize) else { return false }
        filesRead.append(file)
        let statements = try GrubParser.parse(
            String(decoding: bytes, as: UTF8.self), file: grubPath, maximumDepth: settings.maximumDepth)
        let saved = currentFile
        sourceDepth += 1
        currentFile = grubPath
        defer {
            sourceDepth -= 1
            currentFile = saved
        }
        return try run(statements)
    }

    // MARK: Expansion

    /// Expands words into arguments as `grub_script_arglist_to_argv` does:
    /// unquoted variables split on blanks and vanish when empty, quoted parts
    /// never split, and backslash escapes are removed at the end. Each
    /// argument is bounded by `maximumValueSize` bytes, and all expansions of
    /// the evaluation together by `maximumExpansionBytes`.
    func expand(_ words: [GrubWord], line: Int) throws(GrubError) -> [String] {
        var arguments = [String]()
        for word in words {
            // nil: the argument slot is still empty (GRUB's NULL argv entry).
            var current: String?
            func append(_ text: String) throws(GrubError) {
                let joined = (current ?? "") + text
                guard joined.utf8.count <= settings.maximumValueSize else {
                    throw .limitExceeded(
                        file: currentFile, line: line, what: "the size of an expanded word in bytes",
                        limit: settings.maximumValueSize)
                }
                current = joined
            }
            func finish() throws(GrubError) {
                if let value = current {
                    expandedBytes += value.utf8.count
                    guard expandedBytes <= settings.maximumExpansionBytes else {
                        throw .limitExceeded(
                            file: currentFile, line: line, what: "the bytes all expansions produce",
                            limit: settings.maximumExpansionBytes)
                    }
                    arguments.append(Self.unescape(value))
                }
                current = nil
            }
            for part in word.parts {
                switch part {
                case let .text(text):
                    if !text.isEmpty { try append(text) }
                case let .singleQuoted(text), let .doubleQuoted(text):
                    try append(Self.escape(text))
                case let .quotedVariable(name) where name == "@":
                    // "$@" is one word per positional parameter; text
                    // around it joins the first and the last.
                    try append(Self.escape(positional.first ?? ""))
                    for parameter in positional.dropFirst() {
                        try finish()
                        try append(Self.escape(parameter))
                    }
                case let .quotedVariable(name):
                    // A quoted variable always makes an argument, empty
                    // when the variable is unset or empty (grub-emu agrees).
                    try append(Self.escape(lookup(name) ?? ""))
                case let .variable(name):
                    guard let value = lookup(name) else { break }
                    let pieces = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
                    // The value's characters are literal: a backslash in it
                    // survives (grub-emu agrees).
                    for (position, piece) in pieces.enumerated() {
                        if position > 0 { try finish() }
                        try append(Self.escape(String(piece)))
                    }
                }
            }
            try finish()
        }
        return arguments
    }

    private func lookup(_ name: String) -> String? {
        if let number = Int(name) {
            return number >= 1 && number <= positional.count ? positional[number - 1] : nil
        }
        switch name {
        case "#": return String(positional.count)
        case "*", "@": return positional.joined(separator: " ")
        default: return variables[name]
        }
    }

    /// GRUB protects quoted text from wildcard handling by escaping `*`, `?`
    /// and `\`; the final unescape then restores it exactly.
    private static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "*" || character == "?" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }

    private static func unescape(_ text: String) -> String {
        var out = ""
        var escaped = false
        for character in text {
            if escaped {
                out.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}
