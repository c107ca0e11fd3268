import COpenSSL

/// Base64 as OpenSSL's base64 BIO writes it (64 characters per line, each
/// line ending in a newline), which is how `tpm_sealdata` encodes its
/// sections and how `tpm_unsealdata` reads them back.
enum OpenSSLBase64 {
    static func encode(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.isEmpty, let context = EVP_ENCODE_CTX_new() else { return [] }
        defer { EVP_ENCODE_CTX_free(context) }
        // 65 output bytes per 48 input bytes, plus the last line.
        var output = [UInt8](repeating: 0, count: (bytes.count / 48 + 2) * 66)
        var written: Int32 = 0
        var final: Int32 = 0
        EVP_EncodeInit(context)
        output.withUnsafeMutableBufferPointer { target in
            _ = EVP_EncodeUpdate(context, target.baseAddress, &written, bytes, Int32(bytes.count))
            EVP_EncodeFinal(context, target.baseAddress! + Int(written), &final)
        }
        return Array(output.prefix(Int(written + final)))
    }

    /// Decodes base64 text (line breaks allowed); nil when it is not base64.
    static func decode(_ text: [UInt8]) -> [UInt8]? {
        guard let context = EVP_ENCODE_CTX_new() else { return nil }
        defer { EVP_ENCODE_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: text.count / 4 * 3 + 3)
        var written: Int32 = 0
        var final: Int32 = 0
        EVP_DecodeInit(context)
        let ok = output.withUnsafeMutableBufferPointer { target -> Bool in
            guard EVP_DecodeUpdate(context, target.baseAddress, &written, text, Int32(text.count)) >= 0 else {
                return false
            }
            return EVP_DecodeFinal(context, target.baseAddress! + Int(written), &final) == 1
        }
        return ok ? Array(output.prefix(Int(written + final))) : nil
    }
}
