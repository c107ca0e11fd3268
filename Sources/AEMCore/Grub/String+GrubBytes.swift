/// GRUB compares and splits strings byte for byte; Swift's `hasPrefix`,
/// `firstIndex(of:)` and `contains` work on grapheme clusters, so a
/// combining mark after `=`, `-` or `(` would hide it. These work on the
/// UTF-8 bytes and Unicode scalars instead.
extension StringProtocol {
    func hasBytePrefix(_ prefix: String) -> Bool { utf8.starts(with: prefix.utf8) }

    func hasByteSuffix(_ suffix: String) -> Bool {
        utf8.count >= suffix.utf8.count && utf8.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
    }

    func containsByte(_ byte: UInt8) -> Bool { utf8.contains(byte) }

    /// The text before and after the first (or, `last`, the last)
    /// `separator`; nil when there is none.
    func split(once separator: Unicode.Scalar, last: Bool = false) -> (before: String, after: String)? {
        let scalars = unicodeScalars
        guard let index = last ? scalars.lastIndex(of: separator) : scalars.firstIndex(of: separator) else {
            return nil
        }
        var before = String.UnicodeScalarView()
        before.append(contentsOf: scalars[..<index])
        var after = String.UnicodeScalarView()
        after.append(contentsOf: scalars[scalars.index(after: index)...])
        return (String(before), String(after))
    }
}
