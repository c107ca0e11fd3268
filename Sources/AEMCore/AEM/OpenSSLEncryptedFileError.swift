/// Why `OpenSSLEncryptedFile.encrypt(_:passphrase:)` could not encrypt:
/// each an OpenSSL failure, none caused by the input.
public enum OpenSSLEncryptedFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case noRandomSalt
    case keyDerivationFailed
    case encryptionFailed

    public var description: String {
        switch self {
        case .noRandomSalt: return "OpenSSL could not produce a random salt"
        case .keyDerivationFailed: return "PBKDF2 failed"
        case .encryptionFailed: return "AES-256-CTR failed"
        }
    }
}
