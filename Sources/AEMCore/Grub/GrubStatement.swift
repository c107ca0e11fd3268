/// A parsed GRUB script statement.
public indirect enum GrubStatement: Sendable, Equatable {
    /// A simple command: its words as written.
    case command(words: [GrubWord], line: Int)
    /// `if ... then ... [elif ... then ...]* [else ...] fi`.
    case conditional(branches: [GrubBranch], otherwise: [GrubStatement]?, line: Int)
    /// `menuentry` or `submenu`: its arguments and its block.
    case menu(kind: GrubMenuKind, words: [GrubWord], body: [GrubStatement], line: Int)
    /// `function name { ... }`.
    case function(name: String, body: [GrubStatement], line: Int)
    /// `for name in words; do ... done`.
    case loop(variable: String, words: [GrubWord], body: [GrubStatement], line: Int)

    /// The line it starts on.
    var line: Int {
        switch self {
        case let .command(_, line), let .conditional(_, _, line), let .menu(_, _, _, line), let .function(_, _, line),
            let .loop(_, _, _, line):
            return line
        }
    }
}
