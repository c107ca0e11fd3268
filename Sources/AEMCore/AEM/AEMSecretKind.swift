/// The kinds of AEM secret, by file extension.
public enum AEMSecretKind: String, CaseIterable, Sendable, Codable {
    /// Shown on screen at boot.
    case txt
    /// scrypt-encrypted LUKS key file.
    case key
    /// TOTP seed.
    case otp
    /// Freshness token (its hash sits in TPM NV index 0x454d).
    case fre

    public var plaintextName: String { "secret.\(rawValue)" }
    public var sealedName: String { "secret.\(rawValue).sealed2" }
}
