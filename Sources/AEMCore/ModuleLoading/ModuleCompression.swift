/// How GRUB turns a module file into the bytes it hands to tboot.
///
/// Raw values appear in `predict --json` (`"loaded"`).
public enum ModuleCompression: String, Sendable, Codable, Equatable {
    case gzip
    case xz
    case lzop
    /// Loaded as stored: uncompressed, compressed in a format GRUB does not
    /// unpack, or `--nounzip`.
    case raw

    static let gzipMagic: [UInt8] = [0x1F, 0x8B]
    static let xzMagic: [UInt8] = [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]
    static let lzopMagic: [UInt8] = [0x89, 0x4C, 0x5A, 0x4F, 0x00, 0x0D, 0x0A, 0x1A, 0x0A]

    /// What GRUB's transparent decompression filters pick for a file that
    /// starts with `head`. gzip files with flags GRUB's gzio rejects
    /// (multi-part, encrypted, reserved bits) or a method other than deflate
    /// fall through to raw, as GRUB's filter does.
    static func detect(_ head: [UInt8]) -> ModuleCompression {
        if head.starts(with: gzipMagic) {
            guard head.count >= 4, head[2] == 8, head[3] & 0xE2 == 0 else { return .raw }
            return .gzip
        }
        if head.starts(with: xzMagic) { return .xz }
        if head.starts(with: lzopMagic) { return .lzop }
        return .raw
    }
}
