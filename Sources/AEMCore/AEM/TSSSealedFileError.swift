/// Why a `tpm_sealdata` file cannot be read or written. Thrown by
/// `TSSSealedFile.parse(_:)` and `TSSSealedFile.encrypt(_:key:)`.
public enum TSSSealedFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A section marker is not where the format puts it (line is 1-based).
    case expectedMarker(String, line: Int)
    case missingMarker(String)
    /// The section before `marker` does not decode as base64.
    case notBase64(before: String)
    /// The AES-256 key is not 32 bytes.
    case keyLength(Int)
    /// OpenSSL's AES-256-CBC failed.
    case encryptionFailed

    public var description: String {
        switch self {
        case let .expectedMarker(marker, line): return "not a tpm_sealdata file: expected \"\(marker)\" on line \(line)"
        case let .missingMarker(marker): return "not a tpm_sealdata file: \"\(marker)\" is missing"
        case let .notBase64(marker): return "the section before \"\(marker)\" is not base64"
        case let .keyLength(count): return "the AES-256 key must be 32 bytes, not \(count)"
        case .encryptionFailed: return "AES-256-CBC failed"
        }
    }
}
