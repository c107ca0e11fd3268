import COpenSSL

/// An incremental hash over OpenSSL's EVP interface, for one algorithm.
///
/// A running hash is state that must not be duplicated by accident, so this
/// is a class: every holder sees the same hash.
public final class DigestEngine {
    public let algorithm: HashAlgorithm
    private let context: OpaquePointer

    /// Starts a new hash. Traps only if OpenSSL cannot provide the
    /// algorithm; check `HashAlgorithm.isAvailable` for `sm3_256` first.
    public init(_ algorithm: HashAlgorithm) {
        guard let context = EVP_MD_CTX_new() else { fatalError("OpenSSL could not allocate a digest context") }
        guard let md = algorithm.evpMessageDigest, EVP_DigestInit_ex(context, md, nil) == 1 else {
            EVP_MD_CTX_free(context)
            fatalError("OpenSSL does not provide \(algorithm)")
        }
        self.algorithm = algorithm
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public func update(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Ends the hash and returns the digest. The engine must not be used afterwards.
    public func finalize() -> Digest {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &out, &length)
        return Digest(algorithm: algorithm, bytes: Array(out.prefix(Int(length))))
    }
}

extension HashAlgorithm {
    /// OpenSSL's static descriptor for the algorithm, nil when this OpenSSL
    /// build lacks it (SM3 may be disabled).
    var evpMessageDigest: OpaquePointer? {
        switch self {
        case .sha1: return EVP_sha1()
        case .sha256: return EVP_sha256()
        case .sha384: return EVP_sha384()
        case .sha512: return EVP_sha512()
        case .sm3_256: return EVP_get_digestbyname("SM3")
        }
    }

    /// Whether this machine's OpenSSL can compute the algorithm.
    public var isAvailable: Bool {
        guard let md = evpMessageDigest, let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        return EVP_DigestInit_ex(context, md, nil) == 1
    }

    /// The algorithms OpenSSL provides here, in TPM algorithm-ID order.
    public static var available: [HashAlgorithm] { allCases.filter(\.isAvailable) }

    /// Hashes a complete buffer.
    public func hash(_ bytes: [UInt8]) -> Digest {
        let engine = DigestEngine(self)
        engine.update(bytes)
        return engine.finalize()
    }

    /// Hashes a complete buffer.
    public func hash(_ bytes: ArraySlice<UInt8>) -> Digest {
        let engine = DigestEngine(self)
        engine.update(bytes)
        return engine.finalize()
    }
}
