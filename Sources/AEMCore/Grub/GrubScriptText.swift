/// A GRUB script as GRUB's configuration reader hands it to the parser
/// (`read_config_file` in grub-core/normal/main.c, which `source` uses
/// too): every carriage return dropped, even inside quotes, and every
/// line whose first byte is `#` skipped, even inside a quoted string that
/// spans lines. The bytes must be UTF-8 without NUL; since every byte of
/// GRUB's syntax is ASCII and UTF-8 never uses ASCII bytes inside a
/// multi-byte character, the lexer then reads it byte for byte as GRUB does.
struct GrubScriptText: Sendable {
    /// The text the parser reads.
    let bytes: [UInt8]
    /// The line in the file of each line of `bytes` (index 0 is line 1 here).
    private let originalLines: [Int]

    /// Prepares a file's bytes; nil with the offset of the first byte that
    /// is not UTF-8 text or is a NUL.
    static func reading(_ bytes: [UInt8]) -> Result<GrubScriptText, GrubInvalidText> {
        if let offset = GrubInvalidText.firstInvalidOffset(bytes) { return .failure(GrubInvalidText(offset: offset)) }
        return .success(GrubScriptText(valid: bytes))
    }

    private init(valid: [UInt8]) {
        var kept = [UInt8]()
        kept.reserveCapacity(valid.count)
        var lines = [Int]()
        var line = 1
        var start = 0
        while start < valid.count {
            var end = start
            while end < valid.count, valid[end] != 0x0A { end += 1 }
            let hasNewline = end < valid.count
            let first = valid[start..<end].first { $0 != 0x0D }
            if first != 0x23 {
                for byte in valid[start..<end] where byte != 0x0D { kept.append(byte) }
                kept.append(0x0A)
                lines.append(line)
            }
            line += 1
            start = hasNewline ? end + 1 : end
        }
        bytes = kept
        originalLines = lines
    }

    /// The line of the file that line `number` of `bytes` came from.
    func originalLine(_ number: Int) -> Int {
        guard number >= 1 else { return 1 }
        guard number <= originalLines.count else { return (originalLines.last ?? 0) + 1 }
        return originalLines[number - 1]
    }
}
