import COpenSSL

/// The file `openssl enc -aes-256-ctr -pbkdf2 -e -kfile -` writes, which
/// stock AEM uses for every `secret.<ext>.sealed2` on TPM 2.0:
/// `Salted__`, an 8-byte salt, then AES-256-CTR ciphertext, with key and IV
/// from PBKDF2-HMAC-SHA256(passphrase, salt, 10000 iterations, 32 + 16
/// bytes) — OpenSSL 3's defaults for `-pbkdf2`.
public enum OpenSSLEncryptedFile {
    static let magic = Array("Salted__".utf8)
    static let iterations: Int32 = 10_000

    /// Encrypts `plaintext` with `passphrase` (the first line of what
    /// `-kfile` reads: no newline in it).
    public static func encrypt(_ plaintext: SecretBytes, passphrase: SecretBytes) throws(OpenSSLEncryptedFileError)
        -> [UInt8]
    {
        var salt = [UInt8](repeating: 0, count: 8)
        guard RAND_bytes(&salt, 8) == 1 else { throw .noRandomSalt }
        // Key and IV: 32 + 16 bytes of PBKDF2 output.
        let material = SecretBytes(count: 48)
        let derived = passphrase.withUnsafeBytes { pass in
            material.withUnsafeMutableBytes { out in
                PKCS5_PBKDF2_HMAC(
                    pass.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(pass.count), salt, Int32(salt.count),
                    iterations,
                    EVP_sha256(), 48, out.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        guard derived == 1 else { throw .keyDerivationFailed }
        let body = material.withUnsafeBytes { keyAndIV in
            let base = keyAndIV.baseAddress!.assumingMemoryBound(to: UInt8.self)
            return EVPEncryption.encrypt(plaintext, cipher: EVP_aes_256_ctr(), key: base, iv: base + 32)
        }
        guard let body else { throw .encryptionFailed }
        return magic + salt + body
    }
}
