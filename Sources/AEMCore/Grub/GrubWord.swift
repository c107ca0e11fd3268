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
        guard parts.count == 1, case let .text(text) = parts[0], !text.contains("\\") else { return nil }
        return text
    }
}
