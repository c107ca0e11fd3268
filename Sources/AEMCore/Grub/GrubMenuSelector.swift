/// A `default`-style menu selector read the way GRUB 2.06's normal mode
/// reads it: the part before the first `>` picks an item of the current
/// menu level (a leading number as C's `strtoul` with base 0 reads it, else the
/// first item whose title or id equals it, `>>` standing for a literal
/// `>`), and the rest is handed to the submenu that item opens. Titles and
/// ids compare byte for byte, as GRUB's `menuentry_eq` does.
///
/// Checked against GRUB itself by the grub-emu differential test.
struct GrubMenuSelector: Sendable, Equatable {
    /// The index the first component names; nil when it names no item.
    var index: Int?
    /// What follows the first unescaped `>`; nil when there is none.
    var remainder: String?

    init(_ selector: String, items: [GrubMenuItem]) {
        let scalars = Array(selector.unicodeScalars)
        remainder = Self.remainder(of: scalars)
        if let number = Self.leadingNumber(selector) {
            index = number >= 0 && number < items.count ? number : nil
        } else {
            index = items.firstIndex {
                Self.matches($0.title, scalars) || $0.id.map { Self.matches($0, scalars) } == true
            }
        }
    }

    /// What GRUB leaves in `default` while it runs an item chosen with
    /// `selector` (grub_menu_execute_entry, normal/menu.c): the rest of the
    /// path after the first lone `>`, nil (unset) when there is none or it
    /// is empty.
    static func rest(of selector: String?) -> String? {
        guard let selector, let rest = remainder(of: Array(selector.unicodeScalars)), !rest.isEmpty else { return nil }
        return rest
    }

    /// `chosen` while GRUB runs an item: the enclosing items' `chosen`, `>`,
    /// and the item's id (its title when it has none) with `>` doubled.
    static func chosen(after parent: String?, id: String) -> String {
        var escaped = String.UnicodeScalarView()
        for scalar in id.unicodeScalars {
            if scalar == ">" { escaped.append(">") }
            escaped.append(scalar)
        }
        return parent.map { $0 + ">" + String(escaped) } ?? String(escaped)
    }

    /// The text after the first `>` that is not part of a `>>` pair.
    private static func remainder(of scalars: [Unicode.Scalar]) -> String? {
        var position = 0
        while position < scalars.count {
            if scalars[position] == ">" {
                if position + 1 < scalars.count, scalars[position + 1] == ">" {
                    position += 2
                    continue
                }
                var rest = String.UnicodeScalarView()
                rest.append(contentsOf: scalars[(position + 1)...])
                return String(rest)
            }
            position += 1
        }
        return nil
    }

    /// `strtoul(selector, &tail, 0)` when it reads any digit, whatever
    /// follows ("1-", "2abc" and "0x1z" all pick by number, as grub-emu
    /// shows); -1 for a negative or overflowing number (GRUB then falls back
    /// to the first item); nil when GRUB would match titles instead.
    private static func leadingNumber(_ selector: String) -> Int? {
        let number = GrubNumber(selector)
        guard number.hasDigits else { return nil }
        return number.value < 0 || number.overflowed ? -1 : number.value
    }

    /// Whether a title or id equals the selector's first component, where
    /// the component ends at a lone `>` and `>>` stands for `>`.
    private static func matches(_ name: String, _ spec: [Unicode.Scalar]) -> Bool {
        var component = String.UnicodeScalarView()
        var position = 0
        while position < spec.count {
            if spec[position] == ">" {
                guard position + 1 < spec.count, spec[position + 1] == ">" else { break }
                position += 1
            }
            component.append(spec[position])
            position += 1
        }
        return String(component).utf8.elementsEqual(name.utf8)
    }
}
