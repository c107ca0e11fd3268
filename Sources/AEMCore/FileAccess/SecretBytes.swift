import COpenSSL
import SystemPackage

/// Secret material (a plaintext secret, the sealing key, a password) in
/// memory the tool owns and wipes when done.
///
/// Best effort, as documented in docs/reliability.md: the bytes live in
/// one allocation that is cleansed with `OPENSSL_cleanse` on release and
/// never converted to `String` or copied into arrays by this type. Code
/// that reads them does so through `withUnsafeBytes`.
public final class SecretBytes: @unchecked Sendable {
    /// At least one byte: an allocation of zero bytes has no address.
    private let storage: UnsafeMutableRawBufferPointer
    private let storageCount: Int

    public var count: Int { storageCount }

    /// Uninitialized (zeroed) space to fill.
    public init(count: Int) {
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
        storageCount = count
    }

    /// Takes ownership of the bytes of `array` and wipes the array's buffer.
    public convenience init(consuming array: inout [UInt8]) {
        self.init(count: array.count)
        array.withUnsafeMutableBytes { source in
            if let base = source.baseAddress, source.count > 0 {
                storage.baseAddress!.copyMemory(from: base, byteCount: source.count)
                OPENSSL_cleanse(base, source.count)
            }
        }
        array.removeAll()
    }

    deinit {
        OPENSSL_cleanse(storage.baseAddress, storage.count)
        storage.deallocate()
    }

    public func withUnsafeBytes<Result, Failure: Error>(_ body: (UnsafeRawBufferPointer) throws(Failure) -> Result)
        throws(Failure) -> Result
    {
        try body(UnsafeRawBufferPointer(rebasing: storage[0..<storageCount]))
    }

    public func withUnsafeMutableBytes<Result, Failure: Error>(
        _ body: (UnsafeMutableRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(UnsafeMutableRawBufferPointer(rebasing: storage[0..<storageCount]))
    }

    /// Fills the buffer from the operating system's CSPRNG (via OpenSSL).
    public static func random(count: Int) -> SecretBytes? {
        let secret = SecretBytes(count: count)
        let ok = secret.withUnsafeMutableBytes {
            RAND_priv_bytes($0.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32($0.count))
        }
        return ok == 1 ? secret : nil
    }

    /// Lowercase hex of the bytes, as a new secret (stock AEM's passphrase
    /// for `openssl enc` is the hex of the unsealed key).
    public func lowercaseHex() -> SecretBytes {
        let digits = Array("0123456789abcdef".utf8)
        let hex = SecretBytes(count: count * 2)
        withUnsafeBytes { source in
            hex.withUnsafeMutableBytes { target in
                for (index, byte) in source.enumerated() {
                    target[2 * index] = digits[Int(byte >> 4)]
                    target[2 * index + 1] = digits[Int(byte & 0x0F)]
                }
            }
        }
        return hex
    }

    /// Reads a file into secret memory (size-bounded), never through a
    /// String or an array that could leave a copy behind: the bytes go
    /// straight into wiped buffers. `types` are the file types accepted
    /// (`/dev/null` for "no password" is a character device).
    public static func read(path: String, limit: Int, allowing types: [FileType] = [.regular])
        throws(FileAccessError) -> SecretBytes
    {
        let file = try FileBytes.open(path, limit: limit, allowing: types)
        let buffer = SecretBytes(count: limit + 1)
        var count = 0
        while true {
            let read = try buffer.withUnsafeMutableBytes { bytes throws(FileAccessError) in
                try file.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[count...]))
            }
            if read == 0 { break }
            count += read
            guard count <= limit else { throw FileAccessError(.read, path, .tooLarge(limit: limit)) }
        }
        let secret = SecretBytes(count: count)
        secret.withUnsafeMutableBytes { target in
            buffer.withUnsafeBytes { target.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        return secret
    }
}
