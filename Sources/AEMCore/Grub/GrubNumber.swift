/// Numbers as GRUB reads them with C's `strtol`/`strtoul` and base 0:
/// leading blanks, an optional sign, `0x` for hex, a leading `0` for octal,
/// then as many digits as fit; what follows is left unread.
struct GrubNumber: Sendable {
    /// The value, clamped to `Int`'s range as `strtol` clamps; 0 when no digit was read.
    var value: Int
    /// Whether at least one digit was read.
    var hasDigits: Bool
    /// Whether the value did not fit (then `value` is clamped).
    var overflowed: Bool
    /// What follows the number.
    var rest: Substring.UnicodeScalarView

    init(_ text: Substring.UnicodeScalarView) {
        var scalars = text[...]
        while let first = scalars.first, [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}"].contains(first) {
            scalars.removeFirst()
        }
        var negative = false
        if let sign = scalars.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            scalars.removeFirst()
        }
        var radix = 10
        let afterSign = scalars
        if scalars.first == "0", scalars.dropFirst().first.map({ $0 == "x" || $0 == "X" }) == true,
            scalars.dropFirst(2).first.flatMap({ Self.digit($0, radix: 16) }) != nil
        {
            radix = 16
            scalars.removeFirst(2)
        } else if scalars.first == "0" {
            radix = 8
        }
        var magnitude = 0
        var digits = 0
        var overflow = false
        while let first = scalars.first, let digit = Self.digit(first, radix: radix) {
            let (product, overflowed) = magnitude.multipliedReportingOverflow(by: radix)
            if overflowed || product > Int.max - digit { overflow = true } else { magnitude = product + digit }
            digits += 1
            scalars.removeFirst()
        }
        hasDigits = digits > 0
        overflowed = overflow
        value = overflow ? (negative ? Int.min : Int.max) : (negative ? -magnitude : magnitude)
        rest = hasDigits ? scalars : afterSign
    }

    init(_ text: String) { self.init(Substring(text).unicodeScalars) }

    private static func digit(_ scalar: Unicode.Scalar, radix: Int) -> Int? {
        guard let value = Int(String(scalar), radix: 16), value < radix else { return nil }
        return value
    }
}
