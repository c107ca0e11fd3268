/// GRUB's wildcard escaping (grub-core/script/execute.c): quoted text and
/// variable values are protected by a backslash before `*`, `?` and `\`,
/// and the finished argument is unescaped, which drops each backslash and
/// keeps the character after it. Works on Unicode scalars, never on
/// Swift's grapheme clusters (`"\r\n"` or a combining mark after a
/// backslash would otherwise be one character).
enum GrubEscapes {
    static func escape(_ text: String) -> String {
        guard contains(text, where: { $0 == 0x2A || $0 == 0x3F || $0 == 0x5C }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "*" || scalar == "?" || scalar == "\\" { out.append("\\") }
            out.append(scalar)
        }
        return String(out)
    }

    static func unescape(_ text: String) -> String {
        guard contains(text, where: { $0 == 0x5C }) else { return text }
        var out = String.UnicodeScalarView()
        var escaped = false
        for scalar in text.unicodeScalars {
            if escaped {
                out.append(scalar)
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// GRUB's blanks for splitting an unquoted value into words.
    static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
    }

    /// Whether a byte of `text` passes `test` (on its UTF-8 storage: the
    /// common case, nothing to escape, stays cheap).
    private static func contains(_ text: String, where test: (UInt8) -> Bool) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for byte in bytes where test(byte) { return true }
            return false
        }
    }
}
