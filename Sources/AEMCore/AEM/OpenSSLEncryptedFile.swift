import COpenSSL

/// The file `openssl enc -aes-256-ctr -pbkdf2 -e -kfile -` writes, which
/// stock AEM uses for every `secret.<ext>.sealed2` on TPM 2.0:
/// `Salted__`, an 8-byte salt, then AES-256-CTR ciphertext, with key and IV
/// from PBKDF2-HMAC-SHA256(passphrase, salt, 10000 iterations, 32 + 16
/// bytes) — OpenSSL 3's defaults for `-pbkdf2`.
public enum OpenSSLEncryptedFile {
    static let magic = Array("Salted__".utf8)
    static let iterations: Int32 = 10_000

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Encrypts `plaintext` with `passphrase` (the first line of what
    /// `-kfile` reads: no newline in it).
    public static func encrypt(_ plaintext: SecretBytes, passphrase: SecretBytes) throws(Failure) -> [UInt8] {
        var salt = [UInt8](repeating: 0, count: 8)
        guard RAND_bytes(&salt, 8) == 1 else { throw Failure(description: "OpenSSL could not produce a random salt") }
        let body = try crypt(plaintext, passphrase: passphrase, salt: salt, encrypt: true)
        return magic + salt + body
    }

    /// Decrypts a file in this format (used to check a written set).
    public static func decrypt(_ file: [UInt8], passphrase: SecretBytes) throws(Failure) -> SecretBytes {
        guard file.count >= 16, Array(file.prefix(8)) == magic else {
            throw Failure(description: "not an `openssl enc` file (no Salted__ header)")
        }
        var ciphertext = Array(file.dropFirst(16))
        let secret = SecretBytes(consuming: &ciphertext)
        var plain = try crypt(secret, passphrase: passphrase, salt: Array(file[8..<16]), encrypt: false)
        return SecretBytes(consuming: &plain)
    }

    private static func crypt(_ input: SecretBytes, passphrase: SecretBytes, salt: [UInt8], encrypt: Bool) throws(Failure) -> [UInt8] {
        let material = SecretBytes(count: 48)
        let derived = passphrase.withUnsafeBytes { pass in
            material.withUnsafeMutableBytes { out in
                PKCS5_PBKDF2_HMAC(
                    pass.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(pass.count), salt, Int32(salt.count), iterations,
                    EVP_sha256(), 48, out.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        guard derived == 1 else { throw Failure(description: "PBKDF2 failed") }
        guard let context = EVP_CIPHER_CTX_new() else { throw Failure(description: "OpenSSL could not allocate a cipher context") }
        defer { EVP_CIPHER_CTX_free(context) }
        let initialized = material.withUnsafeBytes { keyAndIV in
            let base = keyAndIV.baseAddress!.assumingMemoryBound(to: UInt8.self)
            return EVP_CipherInit_ex(context, EVP_aes_256_ctr(), nil, base, base + 32, encrypt ? 1 : 0)
        }
        guard initialized == 1 else { throw Failure(description: "AES-256-CTR setup failed") }
        var output = [UInt8](repeating: 0, count: input.count + 32)
        var written: Int32 = 0
        var final: Int32 = 0
        let ok = input.withUnsafeBytes { source in
            output.withUnsafeMutableBufferPointer { target in
                EVP_CipherUpdate(context, target.baseAddress, &written, source.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(source.count)) == 1
                    && EVP_CipherFinal_ex(context, target.baseAddress! + Int(written), &final) == 1
            }
        }
        guard ok else { throw Failure(description: "AES-256-CTR failed") }
        output.removeLast(output.count - Int(written + final))
        return output
    }
}
