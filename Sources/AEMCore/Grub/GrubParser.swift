/// Builds statements from GRUB script tokens: simple commands, `if` chains,
/// `menuentry`/`submenu` and `function` blocks, and `for` loops.
struct GrubParser {
    private let tokens: [GrubLexer.Located]
    private let file: String
    private let maximumDepth: Int
    private var index = 0
    private var depth = 0

    init(tokens: [GrubLexer.Located], file: String, maximumDepth: Int) {
        self.tokens = tokens
        self.file = file
        self.maximumDepth = maximumDepth
    }

    static func parse(_ text: GrubScriptText, file: String, maximumDepth: Int = 32) throws(GrubError)
        -> [GrubStatement]
    {
        var lexer = GrubLexer(text, file: file)
        var parser = GrubParser(tokens: try lexer.tokenize(), file: file, maximumDepth: maximumDepth)
        let statements = try parser.statements(until: [])
        guard parser.index >= parser.tokens.count else {
            throw .syntax(file: file, line: parser.currentLine, message: "unexpected \(parser.describeCurrent())")
        }
        return statements
    }

    private var currentLine: Int { index < tokens.count ? tokens[index].line : (tokens.last?.line ?? 1) }

    private func describeCurrent() -> String {
        guard index < tokens.count else { return "end of file" }
        switch tokens[index].token {
        case .leftBrace: return "\"{\""
        case .rightBrace: return "\"}\""
        case .separator: return "end of line"
        case let .word(word): return "\"\(word.bareText ?? "word")\""
        }
    }

    /// The keyword at the start of the current command, if any.
    private func keyword() -> String? {
        guard index < tokens.count, case let .word(word) = tokens[index].token else { return nil }
        return word.bareText
    }

    private mutating func skipSeparators() {
        while index < tokens.count, tokens[index].token == .separator { index += 1 }
    }

    /// Parses statements until one of `terminators` starts a command (not
    /// consumed), a `}` (not consumed), or the end.
    private mutating func statements(until terminators: Set<String>) throws(GrubError) -> [GrubStatement] {
        depth += 1
        defer { depth -= 1 }
        guard depth <= maximumDepth else {
            throw .limitExceeded(file: file, line: currentLine, what: "the nesting depth", limit: maximumDepth)
        }
        var result = [GrubStatement]()
        while true {
            skipSeparators()
            guard index < tokens.count else { return result }
            if tokens[index].token == .rightBrace { return result }
            if let word = keyword(), terminators.contains(word) { return result }
            result.append(try statement())
        }
    }

    private mutating func statement() throws(GrubError) -> GrubStatement {
        let line = currentLine
        switch keyword() {
        case "if": return try conditional()
        case "menuentry", "submenu":
            let kind: GrubMenuKind = keyword() == "menuentry" ? .entry : .submenu
            index += 1
            let words = wordsUntilBrace()
            let body = try block()
            return .menu(kind: kind, words: words, body: body, line: line)
        case "function":
            index += 1
            guard case let .word(nameWord)? = index < tokens.count ? tokens[index].token : nil,
                let name = nameWord.bareText
            else {
                throw .syntax(file: file, line: line, message: "function without a name")
            }
            index += 1
            return .function(name: name, body: try block(), line: line)
        case "for":
            return try loop()
        case "while", "until":
            throw .syntax(
                file: file, line: line,
                message: "\"\(keyword()!)\" loops are not supported in a configuration the tool evaluates")
        case "then", "elif", "else", "fi", "do", "done":
            throw .syntax(file: file, line: line, message: "unexpected \"\(keyword()!)\"")
        default:
            var words = [GrubWord]()
            while index < tokens.count, case let .word(word) = tokens[index].token {
                words.append(word)
                index += 1
            }
            if index < tokens.count, tokens[index].token == .leftBrace {
                throw .syntax(file: file, line: line, message: "unexpected \"{\"")
            }
            return .command(words: words, line: line)
        }
    }

    private mutating func wordsUntilBrace() -> [GrubWord] {
        var words = [GrubWord]()
        while index < tokens.count, case let .word(word) = tokens[index].token {
            words.append(word)
            index += 1
        }
        return words
    }

    private mutating func block() throws(GrubError) -> [GrubStatement] {
        skipSeparators()
        guard index < tokens.count, tokens[index].token == .leftBrace else {
            throw .syntax(file: file, line: currentLine, message: "expected \"{\", found \(describeCurrent())")
        }
        let open = currentLine
        index += 1
        let body = try statements(until: [])
        guard index < tokens.count, tokens[index].token == .rightBrace else {
            throw .syntax(file: file, line: open, message: "\"{\" is never closed")
        }
        index += 1
        return body
    }

    private mutating func expect(_ word: String) throws(GrubError) {
        guard keyword() == word else {
            throw .syntax(file: file, line: currentLine, message: "expected \"\(word)\", found \(describeCurrent())")
        }
        index += 1
    }

    private mutating func conditional() throws(GrubError) -> GrubStatement {
        let line = currentLine
        try expect("if")
        var branches = [GrubBranch]()
        var otherwise: [GrubStatement]?
        while true {
            let condition = try statements(until: ["then"])
            try expect("then")
            let body = try statements(until: ["elif", "else", "fi"])
            branches.append(GrubBranch(condition: condition, body: body))
            if keyword() == "elif" {
                index += 1
                continue
            }
            if keyword() == "else" {
                index += 1
                otherwise = try statements(until: ["fi"])
            }
            try expect("fi")
            return .conditional(branches: branches, otherwise: otherwise, line: line)
        }
    }

    private mutating func loop() throws(GrubError) -> GrubStatement {
        let line = currentLine
        try expect("for")
        guard let name = keyword() else { throw .syntax(file: file, line: line, message: "for without a variable") }
        index += 1
        try expect("in")
        var words = [GrubWord]()
        while index < tokens.count, case let .word(word) = tokens[index].token {
            words.append(word)
            index += 1
        }
        skipSeparators()
        try expect("do")
        let body = try statements(until: ["done"])
        try expect("done")
        return .loop(variable: name, words: words, body: body, line: line)
    }
}
