extension GrubInterpreter {
    /// One simple command, found as GRUB finds it: a loader or another
    /// command GRUB knows, then a script function, then `name=value`.
    func command(_ words: [GrubWord], line: Int) throws(GrubError) -> GrubStatus {
        let expanded = try expand(words, line: line)
        var arguments = expanded.arguments
        let taint = expanded.taint
        guard !arguments.isEmpty else { return .success }
        // A command name that a tainted variable gives: which command runs is unknown.
        if !taint.isEmpty, words.first?.literalValue == nil { becomeUnbounded(taint.union(control)) }
        var inverted = false
        if arguments[0] == "!" {
            guard arguments.count > 1 else { return .failure }
            inverted = true
            arguments.removeFirst()
        }
        let status = try under(taint) { () throws(GrubError) in
            try dispatch(arguments[0], Array(arguments.dropFirst()), taint: taint, line: line)
        }
        return inverted ? status.inverted : status
    }

    private func dispatch(_ name: String, _ arguments: [String], taint: GrubTaint, line: Int) throws(GrubError)
        -> GrubStatus
    {
        if GrubLoaderCommand.names.contains(name) { return loader(name, arguments, taint: taint, line: line) }
        if let status = try builtin(name, arguments, taint: taint, line: line) { return status }
        if let rule = GrubHarmlessCommands.rules[name] {
            if name == "insmod" { insmod(arguments, line: line) }
            return rule.alwaysSucceeds
                ? .success
                : GrubStatus(
                    succeeded: true, unmodelled: .init(command: name, file: currentFile, line: line), codeKnown: false)
        }
        guard !GrubCommandNames.known.contains(name) else { return unknownCommand(name, line: line) }
        return try functionOrAssignment(name, arguments, taint: taint, line: line)
    }

    /// A name GRUB does not know as a command: a script function, else
    /// `name=value`. A function a branch not run here could have (re)defined
    /// makes what runs unknown.
    private func functionOrAssignment(_ name: String, _ arguments: [String], taint: GrubTaint, line: Int)
        throws(GrubError) -> GrubStatus
    {
        let possible = possibleFunctions[GrubName(name)]
        if let possible { becomeUnbounded(possible.union(control)) }
        if let function = functions[GrubName(name)] {
            return try under(possible ?? GrubTaint()) { () throws(GrubError) in
                try call(function, name: name, arguments: arguments, taint: taint, line: line)
            }
        }
        if let possible { return GrubStatus(succeeded: true, taint: possible, codeKnown: false) }
        // GRUB assigns `name=value` when no command or function has that name.
        if let (variable, value) = name.split(once: "=") {
            try setVariable(variable, value, taint: taint, line: line)
            return .success
        }
        // Not a command this evaluator knows GRUB to have, nor a function.
        return unknownCommand(name, line: line)
    }

    /// The commands the interpreter models; nil for the others.
    private func builtin(_ name: String, _ arguments: [String], taint: GrubTaint, line: Int) throws(GrubError)
        -> GrubStatus?
    {
        switch name {
        case "set":
            guard let assignment = arguments.first else { return .success }
            guard let (variable, value) = assignment.split(once: "=") else { return .failure }
            try setVariable(variable, value, taint: taint, line: line)
            return .success
        case "unset":
            guard let variable = arguments.first else { return .failure }
            variables.unset(variable, taint: taint.union(control))
            return .success
        case "export":
            guard !arguments.isEmpty else { return .failure }
            for variable in arguments { variables.export(variable, taint: taint.union(control)) }
            return .success
        case "[", "test":
            // GRUB drops a closing "]" and tolerates its absence, for both names.
            return try test(arguments.last == "]" ? Array(arguments.dropLast()) : arguments, taint: taint, line: line)
        case "true":
            return .success
        case "false":
            return .testFailure
        case "load_env":
            return try loadEnvironment(arguments, taint: taint, line: line)
        case "save_env":
            return try saveEnvironment(arguments, taint: taint, line: line)
        case "source", ".":
            return try source(arguments, taint: taint, line: line)
        case "search":
            return search(arguments, taint: taint, line: line)
        case "increment", "decrement":
            // Fedora's and Qubes' boot counter (commands/increment.c): one
            // variable, changed by one; its value is not modelled.
            guard arguments.count == 1, let variable = arguments.first else { return .failure }
            let unknown = register(.unmodelledCommand(name), line: line)
            variables.addTaint(variable, unknown.union(taint).union(control))
            return GrubStatus(succeeded: true, taint: unknown, codeKnown: false)
        case "configfile", "normal", "extract_entries_source", "extract_entries_configfile":
            return menuFromFile(name, arguments, taint: taint, line: line)
        case "legacy_configfile", "legacy_source", "blscfg", "bls_import", "extract_legacy_entries_source",
            "extract_legacy_entries_configfile", "syslinux_source", "syslinux_configfile",
            "extract_syslinux_entries_source", "extract_syslinux_entries_configfile":
            return notFollowed(name, line: line)
        default:
            return nil
        }
    }

    /// `configfile FILE` and its kin: GRUB reads the file into a new menu
    /// and shows it (grub-core/commands/configfile.c, normal/main.c). A
    /// missing file makes no menu, so nothing happens and the command
    /// succeeds; any other file is not followed.
    private func menuFromFile(_ name: String, _ arguments: [String], taint: GrubTaint, line: Int) -> GrubStatus {
        let file = arguments.first ?? (name == "normal" ? variables["prefix"].map { $0 + "/grub.cfg" } : nil)
        guard let file, arguments.count <= 1, taint.isEmpty else { return notFollowed(name, line: line) }
        let located = locate(file, line: line)
        guard located.taint.isEmpty else { return notFollowed(name, line: line) }
        guard let inside = located.path else { return .success }
        switch files.probe(inside, following: true) {
        case .absent: return .success
        case let .unreadable(error):
            becomeUnbounded(register(.unreadableFile(path: file, error: error), line: line).union(control))
            return GrubStatus(succeeded: true, codeKnown: false)
        case .directory, .file: return notFollowed(name, line: line)
        }
    }

    private func notFollowed(_ name: String, line: Int) -> GrubStatus {
        let unknown = register(.notFollowed(name), line: line)
        becomeUnbounded(unknown.union(control))
        return GrubStatus(succeeded: true, taint: unknown, codeKnown: false)
    }

    private func unknownCommand(_ name: String, line: Int) -> GrubStatus {
        let unknown = register(.unmodelledCommand(name), line: line)
        becomeUnbounded(unknown.union(control))
        return GrubStatus(succeeded: true, taint: unknown, codeKnown: false)
    }

    /// `insmod` of a module that gives variables values: those variables
    /// (or, for some, everything) become unknown.
    private func insmod(_ arguments: [String], line: Int) {
        guard let module = arguments.first, let variables = GrubHarmlessCommands.variableModules[module] else { return }
        let unknown = register(.unmodelledCommand("insmod \(module)"), line: line).union(control)
        guard let variables else {
            becomeUnbounded(unknown)
            return
        }
        for variable in variables { self.variables.addTaint(variable, unknown) }
    }

    /// A loader command: recorded with its words, and tainted by them, by
    /// the control, and by where its file is read from.
    private func loader(_ name: String, _ arguments: [String], taint: GrubTaint, line: Int) -> GrubStatus {
        var commandTaint = taint.union(control)
        if let file = arguments.first(where: { !$0.hasBytePrefix("--") }) {
            commandTaint.formUnion(locate(file, line: line).taint)
        }
        recordLoaderCommand(
            GrubLoaderCommand(name: name, arguments: arguments, file: currentFile, line: line, taint: commandTaint))
        return GrubStatus(succeeded: true, unmodelled: .init(command: name, file: currentFile, line: line))
    }

    private func call(_ function: GrubFunction, name: String, arguments: [String], taint: GrubTaint, line: Int)
        throws(GrubError) -> GrubStatus
    {
        depth += 1
        defer { depth -= 1 }
        guard depth <= settings.budget.maximumDepth else {
            throw .limitExceeded(
                file: currentFile, line: line, what: "the function call depth", limit: settings.budget.maximumDepth)
        }
        let saved = (positional, positionalTaint, currentFile)
        positional = arguments
        positionalTaint = taint
        defer { (positional, positionalTaint, currentFile) = saved }
        return try under(function.taint) { () throws(GrubError) in try run(function.body) }
    }

    private func test(_ words: [String], taint: GrubTaint, line: Int) throws(GrubError) -> GrubStatus {
        var probeTaint = GrubTaint()
        let result: GrubTestExpression.Result
        do {
            result = try GrubTestExpression.evaluate(words) { [self] path, following in
                let (kind, taint) = fileKind(path, following: following, line: line)
                probeTaint.formUnion(taint)
                return kind
            }
        } catch {
            throw .limitExceeded(
                file: currentFile, line: line, what: "the nesting of ( in a test",
                limit: GrubTestExpression.maximumNesting)
        }
        for name in result.unsupported { probeTaint.formUnion(register(.unsupportedTest(name), line: line)) }
        return GrubStatus(succeeded: result.value, taint: taint.union(probeTaint))
    }

    private func search(_ arguments: [String], taint: GrubTaint, line: Int) -> GrubStatus {
        switch GrubSearch.evaluate(arguments, settings: settings) {
        case let .found(variable):
            if let variable { variables.set(variable, settings.bootDevice, taint: taint.union(control)) }
            return GrubStatus(succeeded: true, taint: taint)
        case let .unresolved(variable):
            let unknown = register(.unresolvedSearch(variable: variable), line: line)
            // Found, it names some device; not found, the old value stays.
            if let variable {
                let kept = variables.taint(of: variable)
                variables.set(variable, settings.bootDevice, taint: unknown.union(kept).union(taint).union(control))
            }
            return GrubStatus(succeeded: true, taint: unknown.union(taint), codeKnown: false)
        case .refused:
            return GrubStatus.failure.tainted(taint)
        }
    }

    /// Sets a variable, its value bounded by `maximumValueSize` bytes.
    func setVariable(_ name: String, _ value: String, taint: GrubTaint, line: Int) throws(GrubError) {
        try state.budget.checkValue(
            value, what: "the size of variable \"\(name)\"'s value in bytes", file: currentFile, line: line)
        variables.set(name, value, taint: taint.union(control))
    }
}
