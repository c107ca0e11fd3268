extension GrubInterpreter {
    /// Expands words into arguments as `grub_script_arglist_to_argv` does:
    /// unquoted variables split on blanks and vanish when empty, quoted parts
    /// never split, and backslash escapes are removed at the end. Each
    /// argument is bounded by `maximumValueSize` bytes, and all expansions of
    /// the evaluation together by `maximumExpansionBytes`. The taint is that
    /// of every variable expanded.
    func expand(_ words: [GrubWord], line: Int) throws(GrubError) -> (arguments: [String], taint: GrubTaint) {
        var arguments = [String]()
        var taint = GrubTaint()
        for word in words {
            var builder = ArgumentBuilder(interpreter: self, line: line)
            for part in word.parts {
                switch part {
                case let .text(text):
                    if !text.isEmpty { try builder.append(text) }
                case let .singleQuoted(text), let .doubleQuoted(text):
                    try builder.append(GrubEscapes.escape(text))
                case let .quotedVariable(name) where name == "@":
                    // "$@" is one word per positional parameter; text
                    // around it joins the first and the last.
                    taint.formUnion(positionalTaint)
                    try builder.append(GrubEscapes.escape(positional.first ?? ""))
                    for parameter in positional.dropFirst() {
                        try builder.finish(into: &arguments)
                        try builder.append(GrubEscapes.escape(parameter))
                    }
                case let .quotedVariable(name):
                    // A quoted variable always makes an argument, empty
                    // when the variable is unset or empty (grub-emu agrees).
                    let (value, variableTaint) = lookup(name, line: line)
                    taint.formUnion(variableTaint)
                    try builder.append(GrubEscapes.escape(value ?? ""))
                case let .variable(name):
                    let (value, variableTaint) = lookup(name, line: line)
                    taint.formUnion(variableTaint)
                    guard let value else { break }
                    // The value's characters are literal: a backslash in it
                    // survives (grub-emu agrees).
                    let pieces = value.unicodeScalars.split(whereSeparator: GrubEscapes.isBlank)
                    for (position, piece) in pieces.enumerated() {
                        if position > 0 { try builder.finish(into: &arguments) }
                        try builder.append(GrubEscapes.escape(String(Substring(piece))))
                    }
                }
            }
            try builder.finish(into: &arguments)
        }
        return (arguments, taint)
    }

    /// One argument being built (nil: GRUB's argv slot is still empty).
    private struct ArgumentBuilder {
        let interpreter: GrubInterpreter
        let line: Int
        var current: String?

        init(interpreter: GrubInterpreter, line: Int) {
            self.interpreter = interpreter
            self.line = line
        }

        mutating func append(_ text: String) throws(GrubError) {
            let joined = (current ?? "") + text
            let limit = interpreter.state.budget.maximumValueSize
            guard joined.utf8.count <= limit else {
                throw .limitExceeded(
                    file: interpreter.currentFile, line: line, what: "the size of an expanded word in bytes",
                    limit: limit)
            }
            current = joined
        }

        mutating func finish(into arguments: inout [String]) throws(GrubError) {
            defer { current = nil }
            guard let value = current else { return }
            try interpreter.state.budget.spendExpansion(
                bytes: value.utf8.count, file: interpreter.currentFile, line: line)
            arguments.append(GrubEscapes.unescape(value))
        }
    }

    /// A variable's value as the script sees it, and its taint.
    func lookup(_ name: String, line: Int) -> (String?, GrubTaint) {
        if let first = name.utf8.first, first >= 0x30, first <= 0x39, let number = Int(name) {
            return (number >= 1 && number <= positional.count ? positional[number - 1] : nil, positionalTaint)
        }
        switch name {
        case "#": return (String(positional.count), positionalTaint)
        case "*", "@": return (positional.joined(separator: " "), positionalTaint)
        case "?": return lastStatusValue(line: line)
        default: return (variables[name], variables.taint(of: name))
        }
    }

    /// `$?`: 0 after a success, 1 after a failed test; any other failure's
    /// GRUB error number depends on the file system, so it is an unknown.
    private func lastStatusValue(line: Int) -> (String?, GrubTaint) {
        guard let status = lastStatus else { return (nil, GrubTaint()) }
        var taint = consume(status)
        if status.succeeded { return ("0", taint) }
        if !status.codeKnown { taint.formUnion(register(.unmodelledStatus("$?"), line: line)) }
        return ("1", taint)
    }
}
