import COpenSSL

/// The file `tpm_sealdata` (tpm-tools) writes, stock AEM's
/// `secret.<ext>.sealed2` on TPM 1.2, and what `tpm_unsealdata` reads:
///
///     -----BEGIN TSS-----
///     -----TSS KEY-----
///     <base64 TPM_KEY: the storage key, wrapped by the SRK>
///     -----ENC KEY-----
///     Symmetric Key: AES-256-CBC
///     <base64 TPM_STORED_DATA(12): the AES key, sealed to PCRs by that key>
///     -----ENC DAT-----
///     <base64 AES-256-CBC of the secret, PKCS#7 padded, IV "IBM SEALIBM SEAL">
///     -----END TSS-----
///
/// Base64 lines are 64 characters, as OpenSSL's base64 BIO writes them.
public struct TSSSealedFile: Sendable, Equatable {
    /// The wrapped storage key (TPM_KEY).
    public var keyBlob: [UInt8]
    /// The sealed AES-256 key (TPM_STORED_DATA or TPM_STORED_DATA12).
    public var sealedKeyBlob: [UInt8]
    /// The secret, encrypted with that AES key.
    public var encryptedData: [UInt8]

    public init(keyBlob: [UInt8], sealedKeyBlob: [UInt8], encryptedData: [UInt8]) {
        self.keyBlob = keyBlob
        self.sealedKeyBlob = sealedKeyBlob
        self.encryptedData = encryptedData
    }

    static let header = "-----BEGIN TSS-----"
    static let keySection = "-----TSS KEY-----"
    static let sealedKeySection = "-----ENC KEY-----"
    static let cipherLine = "Symmetric Key: AES-256-CBC"
    static let dataSection = "-----ENC DAT-----"
    static let footer = "-----END TSS-----"
    /// tpm-tools' fixed IV (`TPMSEAL_IV`): each file has its own AES key.
    static let initializationVector = Array("IBM SEALIBM SEAL".utf8)

    /// The file's bytes.
    public func rendered() -> [UInt8] {
        func line(_ text: String) -> [UInt8] { Array((text + "\n").utf8) }
        return line(Self.header) + line(Self.keySection) + OpenSSLBase64.encode(keyBlob)
            + line(Self.sealedKeySection) + line(Self.cipherLine) + OpenSSLBase64.encode(sealedKeyBlob)
            + line(Self.dataSection) + OpenSSLBase64.encode(encryptedData) + line(Self.footer)
    }

    /// Reads a file as `tpm_unsealdata` does: the header and section lines
    /// in order, base64 between them.
    public static func parse(_ bytes: [UInt8]) throws(TSSSealedFileError) -> TSSSealedFile {
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) }
        var index = 0
        func expect(_ marker: String) throws(TSSSealedFileError) {
            guard index < lines.count, lines[index].starts(with: Array(marker.utf8)) else {
                throw .expectedMarker(marker, line: index + 1)
            }
            index += 1
        }
        func base64(until marker: String) throws(TSSSealedFileError) -> [UInt8] {
            var text = [UInt8]()
            while index < lines.count, !lines[index].starts(with: Array(marker.utf8)) {
                text += lines[index] + [0x0A]
                index += 1
            }
            guard index < lines.count else { throw .missingMarker(marker) }
            guard let decoded = OpenSSLBase64.decode(text), !decoded.isEmpty else {
                throw .notBase64(before: marker)
            }
            index += 1
            return decoded
        }
        try expect(header)
        try expect(keySection)
        let key = try base64(until: sealedKeySection)
        try expect(cipherLine)
        let sealedKey = try base64(until: dataSection)
        let data = try base64(until: footer)
        return TSSSealedFile(keyBlob: key, sealedKeyBlob: sealedKey, encryptedData: data)
    }

    /// Encrypts a secret as `tpm_sealdata` does: AES-256-CBC, PKCS#7
    /// padding, the fixed IV, with `key` (32 bytes, sealed beside it).
    public static func encrypt(_ secret: SecretBytes, key: SecretBytes) throws(TSSSealedFileError) -> [UInt8] {
        guard key.count == 32 else { throw .keyLength(key.count) }
        let encrypted = key.withUnsafeBytes { bytes in
            EVPEncryption.encrypt(
                secret, cipher: EVP_aes_256_cbc(), key: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self),
                iv: initializationVector)
        }
        guard let encrypted else { throw .encryptionFailed }
        return encrypted
    }
}
