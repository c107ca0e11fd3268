/// One word of a GRUB script as written: a sequence of literal, quoted and
/// variable parts that together make zero, one or several arguments.
public struct GrubWord: Sendable, Equatable {
    public enum Part: Sendable, Equatable {
        /// Unquoted text; backslash escapes are still in it (removed on expansion).
        case text(String)
        /// `'...'`: literal.
        case singleQuoted(String)
        /// `"..."` text between variables, escapes already resolved.
        case doubleQuoted(String)
        /// `$name` / `${name}` outside quotes: split into words on expansion.
        case variable(String)
        /// `$name` inside double quotes: never split.
        case quotedVariable(String)
    }

    public var parts: [Part]

    public init(_ parts: [Part]) { self.parts = parts }

    /// The word's text when it is plain unquoted text (keywords, `{`).
    var bareText: String? {
        guard parts.count == 1, case let .text(text) = parts[0], !text.containsByte(0x5C) else { return nil }
        return text
    }

    /// The one argument the word makes whatever the variables hold, when it
    /// has no variable and no unquoted blank (which would split it).
    var literalValue: String? {
        var value = ""
        for part in parts {
            switch part {
            case let .text(text):
                value += GrubEscapes.unescape(text)
            case let .singleQuoted(text), let .doubleQuoted(text): value += text
            case .variable, .quotedVariable: return nil
            }
        }
        return parts.isEmpty ? nil : value
    }

    /// The literal text before the word's first variable: enough to read
    /// the name of `name=$value` when the name itself is literal.
    var literalPrefix: String {
        var value = ""
        for part in parts {
            switch part {
            case let .text(text): value += GrubEscapes.unescape(text)
            case let .singleQuoted(text), let .doubleQuoted(text): value += text
            case .variable, .quotedVariable: return value
            }
        }
        return value
    }
}
