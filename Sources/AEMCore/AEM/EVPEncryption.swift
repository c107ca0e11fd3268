import COpenSSL

/// One-shot encryption through OpenSSL's EVP interface: the cipher step of
/// both files stock AEM writes (`openssl enc` on TPM 2.0, `tpm_sealdata`
/// on TPM 1.2).
enum EVPEncryption {
    /// `plaintext` encrypted with `cipher` under `key` and `iv` (sizes as
    /// the cipher needs), with the cipher's own padding; nil on failure.
    static func encrypt(
        _ plaintext: SecretBytes, cipher: OpaquePointer, key: UnsafePointer<UInt8>, iv: UnsafePointer<UInt8>
    ) -> [UInt8]? {
        guard let context = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(context) }
        guard EVP_EncryptInit_ex(context, cipher, nil, key, iv) == 1 else { return nil }
        var output = [UInt8](repeating: 0, count: plaintext.count + 32)
        var written: Int32 = 0
        var final: Int32 = 0
        let ok = plaintext.withUnsafeBytes { source in
            output.withUnsafeMutableBufferPointer { target in
                EVP_EncryptUpdate(
                    context, target.baseAddress, &written, source.baseAddress?.assumingMemoryBound(to: UInt8.self),
                    Int32(source.count)) == 1
                    && EVP_EncryptFinal_ex(context, target.baseAddress! + Int(written), &final) == 1
            }
        }
        return ok ? Array(output.prefix(Int(written + final))) : nil
    }
}
