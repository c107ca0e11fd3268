/// Text bound for a terminal. Its literal parts are the program's own; every
/// value interpolated or appended as a `String` is escaped (`VisibleText`),
/// and only `Style` adds terminal codes. `Terminal.write` takes nothing
/// else, so a title, file name or log string from /boot or the media can
/// never reach the terminal as a control sequence: the output layer cannot
/// bypass the escaping by accident.
struct TerminalText: ExpressibleByStringInterpolation, Sendable, Equatable {
    /// What reaches the terminal: already safe.
    private(set) var rendered: String

    init(stringLiteral literal: String) { rendered = literal }

    init(stringInterpolation: StringInterpolation) { rendered = stringInterpolation.rendered }

    /// Untrusted text, escaped.
    init(_ text: String) { rendered = VisibleText.escaping(text) }

    /// Terminal codes only `Style` may add.
    fileprivate init(codes: String) { rendered = codes }

    /// A JSON document. JSON escapes the control characters below U+0020;
    /// DEL, the C1 controls and the bidirectional overrides, which JSON
    /// allows raw, are written as `\uXXXX` escapes too (still the same
    /// JSON), so a document on a terminal is as safe as the human output.
    init(json document: String) {
        var safe = ""
        for scalar in document.unicodeScalars {
            guard VisibleText.isUnsafe(scalar) else {
                safe.unicodeScalars.append(scalar)
                continue
            }
            let hex = String(scalar.value, radix: 16)
            safe += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        rendered = safe
    }

    struct StringInterpolation: StringInterpolationProtocol {
        var rendered = ""

        init(literalCapacity: Int, interpolationCount: Int) {
            rendered.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        mutating func appendLiteral(_ literal: String) { rendered += literal }

        mutating func appendInterpolation(_ text: TerminalText) { rendered += text.rendered }

        /// Any other value, escaped as it prints.
        mutating func appendInterpolation(_ value: some CustomStringConvertible) {
            rendered += VisibleText.escaping(value.description)
        }
    }

    static func + (left: TerminalText, right: TerminalText) -> TerminalText {
        TerminalText(codes: left.rendered + right.rendered)
    }

    static func += (left: inout TerminalText, right: TerminalText) { left.rendered += right.rendered }

    /// Pieces joined with `separator`.
    static func joined(_ pieces: [TerminalText], separator: TerminalText = "") -> TerminalText {
        TerminalText(codes: pieces.map(\.rendered).joined(separator: separator.rendered))
    }

    /// Each line after the first indented by `indent`.
    func indentingLines(by indent: String) -> TerminalText {
        TerminalText(
            codes: rendered.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + indent))
    }
}

extension Style {
    /// `text` with the terminal codes of `code`, or as is when colour is off.
    func wrap(_ text: TerminalText, _ code: String) -> TerminalText {
        enabled ? TerminalText(codes: "\u{1B}[\(code)m") + text + TerminalText(codes: "\u{1B}[0m") : text
    }
}
