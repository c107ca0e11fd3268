import Glibc

/// A variable or function name as GRUB compares it: byte for byte.
/// Swift's `String` equality is canonical equivalence (`"é"` equals
/// `"e\u{301}"`), under which two distinct GRUB variables would share one
/// value; this key compares the UTF-8 bytes instead (and hashes as
/// `String` does, which byte-equal names always share).
struct GrubName: Hashable, Sendable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (left: GrubName, right: GrubName) -> Bool {
        var left = left.text
        var right = right.text
        let count = left.utf8.count
        guard count == right.utf8.count else { return false }
        return left.withUTF8 { a in
            right.withUTF8 { b in count == 0 || memcmp(a.baseAddress!, b.baseAddress!, count) == 0 }
        }
    }

    func hash(into hasher: inout Hasher) { hasher.combine(text) }
}
