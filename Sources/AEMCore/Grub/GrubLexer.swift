/// Splits GRUB script text into words and separators, following GRUB's
/// lexer: blanks separate words; newlines and `;` end commands; `{` and `}`
/// delimit blocks; `#` at the start of a word begins a comment; single
/// quotes are literal; double quotes resolve `\"`, `\\`, `\$` and line
/// continuations and expand variables without splitting; outside quotes a
/// backslash protects the next character and `\`+newline joins lines.
struct GrubLexer {
    enum Token: Equatable {
        case word(GrubWord)
        case separator
        case leftBrace
        case rightBrace
    }

    struct Located: Equatable {
        var token: Token
        var line: Int
    }

    private let characters: [Character]
    private let file: String
    private var index = 0
    private var line = 1

    init(_ text: String, file: String) {
        characters = Array(text)
        self.file = file
    }

    /// Characters that end an unquoted word (GRUB's lexer treats them specially).
    private static let wordBreakers: Set<Character> = [" ", "\t", "\n", ";", "{", "}", "|", "&", "<", ">", "\r"]

    mutating func tokenize() throws(GrubError) -> [Located] {
        var tokens = [Located]()
        while index < characters.count {
            let character = characters[index]
            switch character {
            case " ", "\t", "\r":
                index += 1
            case "\n":
                tokens.append(Located(token: .separator, line: line))
                line += 1
                index += 1
            case ";":
                tokens.append(Located(token: .separator, line: line))
                index += 1
            case "#":
                while index < characters.count, characters[index] != "\n" { index += 1 }
            case "{" where isStandalone():
                tokens.append(Located(token: .leftBrace, line: line))
                index += 1
            case "}" where isStandalone():
                tokens.append(Located(token: .rightBrace, line: line))
                index += 1
            case "|", "&", "<", ">":
                throw .syntax(
                    file: file, line: line, message: "pipes and redirections (\"\(character)\") are not GRUB script")
            case "\\" where index + 1 < characters.count && characters[index + 1] == "\n":
                index += 2
                line += 1
            default:
                let startLine = line
                tokens.append(Located(token: .word(try readWord()), line: startLine))
            }
        }
        tokens.append(Located(token: .separator, line: line))
        return tokens
    }

    /// `{` and `}` are tokens only on their own; inside a word (`${x}`) they are not.
    private func isStandalone() -> Bool {
        let next = index + 1 < characters.count ? characters[index + 1] : " "
        return Self.wordBreakers.contains(next)
    }

    private mutating func readWord() throws(GrubError) -> GrubWord {
        var parts = [GrubWord.Part]()
        var text = ""
        func flush() {
            if !text.isEmpty { parts.append(.text(text)) }
            text = ""
        }
        while index < characters.count {
            let character = characters[index]
            if Self.wordBreakers.contains(character) && !(character == "{" || character == "}") { break }
            if (character == "{" || character == "}") && isStandalone() { break }
            switch character {
            case "\\":
                if index + 1 < characters.count {
                    if characters[index + 1] == "\n" {
                        index += 2
                        line += 1
                    } else {
                        text.append("\\")
                        text.append(characters[index + 1])
                        index += 2
                    }
                } else {
                    index += 1
                }
            case "'":
                flush()
                index += 1
                var quoted = ""
                while index < characters.count, characters[index] != "'" {
                    if characters[index] == "\n" { line += 1 }
                    quoted.append(characters[index])
                    index += 1
                }
                guard index < characters.count else {
                    throw .syntax(file: file, line: line, message: "unterminated single quote")
                }
                index += 1
                parts.append(.singleQuoted(quoted))
            case "\"":
                flush()
                index += 1
                try readDoubleQuoted(into: &parts)
            case "$":
                if let name = readVariableName() {
                    flush()
                    parts.append(.variable(name))
                } else {
                    text.append("$")
                    index += 1
                }
            default:
                text.append(character)
                index += 1
            }
        }
        flush()
        return GrubWord(parts)
    }

    private mutating func readDoubleQuoted(into parts: inout [GrubWord.Part]) throws(GrubError) {
        var text = ""
        var sawAnything = false
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "\"":
                index += 1
                if !text.isEmpty || !sawAnything { parts.append(.doubleQuoted(text)) }
                return
            case "\\" where index + 1 < characters.count:
                let next = characters[index + 1]
                if next == "\n" {
                    line += 1
                } else if next == "\"" || next == "\\" || next == "$" {
                    text.append(next)
                } else {
                    text.append("\\")
                    text.append(next)
                }
                index += 2
            case "$":
                if let name = readVariableName() {
                    if !text.isEmpty { parts.append(.doubleQuoted(text)) }
                    text = ""
                    parts.append(.quotedVariable(name))
                    sawAnything = true
                } else {
                    text.append("$")
                    index += 1
                }
            default:
                if character == "\n" { line += 1 }
                text.append(character)
                index += 1
            }
        }
        throw .syntax(file: file, line: line, message: "unterminated double quote")
    }

    /// At a `$`: reads `${name}`, `$name`, `$1`, `$?`, `$#`, `$*` or `$@`;
    /// nil (and no movement) when the `$` is literal.
    private mutating func readVariableName() -> String? {
        let start = index + 1
        guard start < characters.count else { return nil }
        let first = characters[start]
        if first == "{" {
            guard let close = characters[start...].firstIndex(of: "}") else { return nil }
            index = close + 1
            return String(characters[(start + 1)..<close])
        }
        if first == "?" || first == "#" || first == "*" || first == "@" {
            index = start + 1
            return String(first)
        }
        if first.isASCII && first.isNumber {
            var end = start
            while end < characters.count, characters[end].isASCII, characters[end].isNumber { end += 1 }
            index = end
            return String(characters[start..<end])
        }
        guard first == "_" || (first.isASCII && first.isLetter) else { return nil }
        var end = start
        while end < characters.count,
            characters[end] == "_"
                || (characters[end].isASCII && (characters[end].isLetter || characters[end].isNumber))
        {
            end += 1
        }
        index = end
        return String(characters[start..<end])
    }
}
