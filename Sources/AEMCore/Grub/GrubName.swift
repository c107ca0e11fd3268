/// A variable or function name as GRUB compares it: byte for byte.
/// Swift's `String` equality is canonical equivalence (`"é"` equals
/// `"e\u{301}"`), under which two distinct GRUB variables would share one
/// value; this key compares and hashes the UTF-8 bytes instead.
struct GrubName: Hashable, Sendable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (left: GrubName, right: GrubName) -> Bool { left.text.utf8.elementsEqual(right.text.utf8) }

    func hash(into hasher: inout Hasher) {
        for byte in text.utf8 { hasher.combine(byte) }
    }
}
