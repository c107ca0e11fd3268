/// Splits GRUB script text into words and separators, following GRUB's
/// lexer: blanks separate words; newlines and `;` end commands; `{` and `}`
/// delimit blocks; `#` at the start of a word begins a comment; single
/// quotes are literal; double quotes resolve `\"`, `\\`, `\$` and line
/// continuations and expand variables without splitting; outside quotes a
/// backslash protects the next character and `\`+newline joins lines.
/// It reads bytes, as GRUB does: every byte of the syntax is ASCII, and
/// `GrubScriptText` guarantees UTF-8 without NUL.
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

    private let bytes: [UInt8]
    private let text: GrubScriptText
    private let file: String
    private var index = 0
    /// The line in `text.bytes`; `text.originalLine` maps it to the file's.
    private var line = 1

    init(_ text: GrubScriptText, file: String) {
        self.text = text
        bytes = text.bytes
        self.file = file
    }

    private static let space: UInt8 = 0x20
    private static let tab: UInt8 = 0x09
    private static let newline: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D
    private static let backslash: UInt8 = 0x5C
    private static let singleQuote: UInt8 = 0x27
    private static let doubleQuote: UInt8 = 0x22
    private static let dollar: UInt8 = 0x24
    private static let leftBrace: UInt8 = 0x7B
    private static let rightBrace: UInt8 = 0x7D

    /// Bytes that end an unquoted word (GRUB's lexer treats them specially):
    /// blanks, newline, `;`, braces, `|`, `&`, `<`, `>`.
    private static func breaksWord(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x3B, 0x7B, 0x7D, 0x7C, 0x26, 0x3C, 0x3E, 0x0D: return true
        default: return false
        }
    }

    private var currentLine: Int { text.originalLine(line) }

    mutating func tokenize() throws(GrubError) -> [Located] {
        var tokens = [Located]()
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case Self.space, Self.tab, Self.carriageReturn:
                index += 1
            case Self.newline:
                tokens.append(Located(token: .separator, line: currentLine))
                line += 1
                index += 1
            case 0x3B:
                tokens.append(Located(token: .separator, line: currentLine))
                index += 1
            case 0x23:
                while index < bytes.count, bytes[index] != Self.newline { index += 1 }
            case Self.leftBrace where isStandalone():
                tokens.append(Located(token: .leftBrace, line: currentLine))
                index += 1
            case Self.rightBrace where isStandalone():
                tokens.append(Located(token: .rightBrace, line: currentLine))
                index += 1
            case 0x7C, 0x26, 0x3C, 0x3E:
                throw .syntax(
                    file: file, line: currentLine,
                    message: "pipes and redirections (\"\(Character(Unicode.Scalar(byte)))\") are not GRUB script")
            case Self.backslash where index + 1 < bytes.count && bytes[index + 1] == Self.newline:
                index += 2
                line += 1
            default:
                let startLine = currentLine
                tokens.append(Located(token: .word(try readWord()), line: startLine))
            }
        }
        tokens.append(Located(token: .separator, line: currentLine))
        return tokens
    }

    /// `{` and `}` are tokens only on their own; inside a word (`${x}`) they are not.
    private func isStandalone() -> Bool {
        index + 1 >= bytes.count || Self.breaksWord(bytes[index + 1])
    }

    private mutating func readWord() throws(GrubError) -> GrubWord {
        var parts = [GrubWord.Part]()
        var text = [UInt8]()
        func flush() {
            if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))) }
            text = []
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.leftBrace || byte == Self.rightBrace {
                if isStandalone() { break }
            } else if Self.breaksWord(byte) {
                break
            }
            switch byte {
            case Self.backslash:
                if index + 1 < bytes.count {
                    if bytes[index + 1] == Self.newline {
                        line += 1
                    } else {
                        text.append(Self.backslash)
                        text.append(bytes[index + 1])
                    }
                    index += 2
                } else {
                    index += 1
                }
            case Self.singleQuote:
                flush()
                parts.append(.singleQuoted(try readSingleQuoted()))
            case Self.doubleQuote:
                flush()
                index += 1
                try readDoubleQuoted(into: &parts)
            case Self.dollar:
                if let name = readVariableName() {
                    flush()
                    parts.append(.variable(name))
                } else {
                    text.append(Self.dollar)
                    index += 1
                }
            default:
                text.append(byte)
                index += 1
            }
        }
        flush()
        return GrubWord(parts)
    }

    private mutating func readSingleQuoted() throws(GrubError) -> String {
        index += 1
        let start = index
        while index < bytes.count, bytes[index] != Self.singleQuote {
            if bytes[index] == Self.newline { line += 1 }
            index += 1
        }
        guard index < bytes.count else {
            throw .syntax(file: file, line: currentLine, message: "unterminated single quote")
        }
        defer { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func readDoubleQuoted(into parts: inout [GrubWord.Part]) throws(GrubError) {
        var text = [UInt8]()
        var sawAnything = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case Self.doubleQuote:
                index += 1
                if !text.isEmpty || !sawAnything { parts.append(.doubleQuoted(String(decoding: text, as: UTF8.self))) }
                return
            case Self.backslash where index + 1 < bytes.count:
                let next = bytes[index + 1]
                if next == Self.newline {
                    line += 1
                } else if next == Self.doubleQuote || next == Self.backslash || next == Self.dollar {
                    text.append(next)
                } else {
                    text.append(Self.backslash)
                    text.append(next)
                }
                index += 2
            case Self.dollar:
                if let name = readVariableName() {
                    if !text.isEmpty { parts.append(.doubleQuoted(String(decoding: text, as: UTF8.self))) }
                    text = []
                    parts.append(.quotedVariable(name))
                    sawAnything = true
                } else {
                    text.append(Self.dollar)
                    index += 1
                }
            default:
                if byte == Self.newline { line += 1 }
                text.append(byte)
                index += 1
            }
        }
        throw .syntax(file: file, line: currentLine, message: "unterminated double quote")
    }

    /// At a `$`: reads `${name}`, `$name`, `$1`, `$?`, `$#`, `$*` or `$@`;
    /// nil (and no movement) when the `$` is literal.
    private mutating func readVariableName() -> String? {
        let start = index + 1
        guard start < bytes.count else { return nil }
        let first = bytes[start]
        if first == Self.leftBrace {
            guard let close = bytes[start...].firstIndex(of: Self.rightBrace) else { return nil }
            index = close + 1
            return String(decoding: bytes[(start + 1)..<close], as: UTF8.self)
        }
        if first == 0x3F || first == 0x23 || first == 0x2A || first == 0x40 {
            index = start + 1
            return String(Character(Unicode.Scalar(first)))
        }
        if Self.isDigit(first) {
            var end = start
            while end < bytes.count, Self.isDigit(bytes[end]) { end += 1 }
            index = end
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
        guard first == 0x5F || Self.isLetter(first) else { return nil }
        var end = start
        while end < bytes.count, bytes[end] == 0x5F || Self.isLetter(bytes[end]) || Self.isDigit(bytes[end]) {
            end += 1
        }
        index = end
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
}
