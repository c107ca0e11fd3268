/// Reads statements for what they could do (`GrubEffects`) without running
/// them. A command is read by its literal name; a name or an argument that
/// only a variable gives, an unknown command, a call of an unknown
/// function, `source` and their kin make the effects unbounded. Function
/// calls are followed into the bodies known now, once each.
struct GrubStaticEffects {
    private let functions: [GrubName: GrubFunction]
    private var visited: Set<GrubName> = []

    init(functions: [GrubName: GrubFunction]) {
        self.functions = functions
    }

    static func of(_ statements: [GrubStatement], functions: [GrubName: GrubFunction]) -> GrubEffects {
        var reader = GrubStaticEffects(functions: functions)
        return reader.effects(of: statements)
    }

    private mutating func effects(of statements: [GrubStatement]) -> GrubEffects {
        var effects = GrubEffects()
        for statement in statements {
            effects.formUnion(self.effects(of: statement))
            if effects.unbounded { return effects }
        }
        return effects
    }

    private mutating func effects(of statement: GrubStatement) -> GrubEffects {
        switch statement {
        case let .command(words, _):
            return command(words)
        case let .conditional(branches, otherwise, _):
            var effects = GrubEffects()
            for branch in branches {
                effects.formUnion(self.effects(of: branch.condition))
                effects.formUnion(self.effects(of: branch.body))
            }
            if let otherwise { effects.formUnion(self.effects(of: otherwise)) }
            return effects
        case .menu:
            return GrubEffects(menuItems: true)
        case let .function(name, _, _):
            return GrubEffects(functions: [GrubName(name)])
        case let .loop(variable, _, body, _):
            var effects = self.effects(of: body)
            effects.set(variable)
            return effects
        }
    }

    private mutating func command(_ words: [GrubWord]) -> GrubEffects {
        var words = words[...]
        if words.first?.literalValue == "!" { words = words.dropFirst() }
        guard let first = words.first else { return GrubEffects() }
        guard let name = first.literalValue else {
            // `name=value` with a literal name still only sets that name.
            return Self.assignment(first.literalPrefix) ?? GrubEffects(unbounded: true)
        }
        let arguments = Array(words.dropFirst())
        if GrubLoaderCommand.names.contains(name) { return GrubEffects(loaderCommands: true) }
        if let function = functions[GrubName(name)] { return call(name, function) }
        if GrubHarmlessCommands.rules[name] != nil { return name == "insmod" ? Self.insmod(arguments) : GrubEffects() }
        return Self.builtin(name, arguments) ?? Self.assignment(name) ?? GrubEffects(unbounded: true)
    }

    private mutating func call(_ name: String, _ function: GrubFunction) -> GrubEffects {
        guard visited.insert(GrubName(name)).inserted else { return GrubEffects() }
        return effects(of: function.body)
    }

    /// The effects of the commands the interpreter models, nil for others.
    private static func builtin(_ name: String, _ arguments: [GrubWord]) -> GrubEffects? {
        switch name {
        case "set":
            guard let first = arguments.first else { return GrubEffects() }
            return assignment(first.literalPrefix) ?? GrubEffects(unbounded: true)
        case "unset", "export":
            return names(arguments.prefix(name == "unset" ? 1 : arguments.count))
        case "load_env":
            return loadEnvironment(arguments)
        case "save_env":
            return GrubEffects(environmentWrites: true)
        case "increment", "decrement":
            return names(arguments.prefix(1))
        case "search":
            return search(arguments)
        case "[", "test", "true", "false":
            return GrubEffects()
        default:
            return nil
        }
    }

    private static func assignment(_ text: String) -> GrubEffects? {
        guard let (name, _) = text.split(once: "=") else { return nil }
        var effects = GrubEffects()
        effects.set(name)
        return effects
    }

    private static func names(_ words: ArraySlice<GrubWord>) -> GrubEffects {
        var effects = GrubEffects()
        for word in words {
            guard let name = word.literalValue else { return GrubEffects(unbounded: true) }
            effects.set(name)
        }
        return effects
    }

    private static func literal(_ words: [GrubWord]) -> [String]? {
        var values = [String]()
        for word in words {
            guard let value = word.literalValue else { return nil }
            values.append(value)
        }
        return values
    }

    private static func loadEnvironment(_ arguments: [GrubWord]) -> GrubEffects {
        guard let values = literal(arguments), let parsed = GrubInterpreter.environmentOptions.parse(values),
            !parsed.arguments.isEmpty
        else { return GrubEffects(unbounded: true) }
        var effects = GrubEffects()
        for name in parsed.arguments { effects.set(name) }
        return effects
    }

    private static func search(_ arguments: [GrubWord]) -> GrubEffects {
        guard let values = literal(arguments) else { return GrubEffects(unbounded: true) }
        var effects = GrubEffects()
        switch GrubSearch.parser.parse(values) {
        case let parsed? where parsed.has("set"):
            effects.set(parsed.value("set") ?? "root")
            effects.set("root")
        default:
            break
        }
        return effects
    }

    private static func insmod(_ arguments: [GrubWord]) -> GrubEffects {
        guard let module = arguments.first?.literalValue else { return GrubEffects(unbounded: true) }
        guard let variables = GrubHarmlessCommands.variableModules[module] else { return GrubEffects() }
        guard let variables else { return GrubEffects(unbounded: true) }
        var effects = GrubEffects()
        for variable in variables { effects.set(variable) }
        return effects
    }
}
