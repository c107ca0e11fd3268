/// A TPM PCR bank's hash algorithm.
///
/// The raw value is the bank name used in every file and JSON document the
/// tool reads or writes (`sha1`, `sha256`, ...), the same spelling as
/// `tpm2_pcrread` and `tpm2_eventlog`.
public enum HashAlgorithm: String, CaseIterable, Sendable, Codable, Comparable, CustomStringConvertible {
    case sha1
    case sha256
    case sha384
    case sha512
    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The name tpm2-tools and the TCG give the bank, also its raw value in JSON.
    case sm3_256

    /// The TPM 2.0 algorithm identifier (`TPM2_ALG_*`).
    public var tpmAlgorithmID: UInt16 {
        switch self {
        case .sha1: return 0x0004
        case .sha256: return 0x000B
        case .sha384: return 0x000C
        case .sha512: return 0x000D
        case .sm3_256: return 0x0012
        }
    }

    /// Length of a digest in bytes.
    public var digestSize: Int {
        switch self {
        case .sha1: return 20
        case .sha256, .sm3_256: return 32
        case .sha384: return 48
        case .sha512: return 64
        }
    }

    /// The algorithm name OpenSSL's EVP layer knows it by.
    var openSSLName: String {
        switch self {
        case .sha1: return "SHA1"
        case .sha256: return "SHA256"
        case .sha384: return "SHA384"
        case .sha512: return "SHA512"
        case .sm3_256: return "SM3"
        }
    }

    public var description: String { rawValue }

    /// Looks an algorithm up by its TPM 2.0 identifier.
    public init?(tpmAlgorithmID: UInt16) {
        guard let match = HashAlgorithm.allCases.first(where: { $0.tpmAlgorithmID == tpmAlgorithmID }) else {
            return nil
        }
        self = match
    }

    /// Looks an algorithm up by the digest identifier of a TXT
    /// `TCG_LOG_DESCRIPTOR` (1 = SHA-1, 2 = SHA-256, 3 = SHA-384,
    /// 4 = SHA-512, 5 = SM3).
    public init?(txtDigestID: UInt32) {
        switch txtDigestID {
        case 1: self = .sha1
        case 2: self = .sha256
        case 3: self = .sha384
        case 4: self = .sha512
        case 5: self = .sm3_256
        default: return nil
        }
    }

    /// Parses a bank name as users and tools write it (`sha256`, `SHA256`,
    /// `sm3`, `sm3_256`).
    public init?(name: String) {
        let lowered = name.lowercased()
        if lowered == "sm3" {
            self = .sm3_256
            return
        }
        guard let match = HashAlgorithm(rawValue: lowered) else { return nil }
        self = match
    }

    public static func < (lhs: HashAlgorithm, rhs: HashAlgorithm) -> Bool {
        lhs.tpmAlgorithmID < rhs.tpmAlgorithmID
    }
}
