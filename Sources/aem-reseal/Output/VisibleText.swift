/// Text from untrusted input (a PCR file, grub.cfg, an event log, the AEM
/// media) made safe to print: control characters other than newline and
/// tab, DEL, C1 controls and Unicode's bidirectional overrides are shown as
/// escapes (`\x1b`, `\u{202e}`) instead of reaching the terminal, where they
/// could retitle the window, clear the screen or disguise text.
/// `TerminalText` applies it to everything the tool prints.
enum VisibleText {
    static func escaping(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            guard isUnsafe(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            let value = scalar.value
            out +=
                value < 0x100
                ? "\\x" + (value < 0x10 ? "0" : "") + String(value, radix: 16) : "\\u{" + String(value, radix: 16) + "}"
        }
        return out
    }

    /// Whether `scalar` may not reach a terminal as it is.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        let control = (value < 0x20 && scalar != "\n" && scalar != "\t") || (0x7F...0x9F).contains(value)
        let bidi = (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
        return control || bidi
    }
}
