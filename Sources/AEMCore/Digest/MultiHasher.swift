/// Hashes one stream in several algorithms at once.
///
/// Measurement of a boot module needs its digest in every PCR bank the boot
/// uses; reading a 150 MB initramfs once per bank would multiply the I/O.
/// Each chunk is handed to every engine while it is still in cache.
public final class MultiHasher {
    public let algorithms: [HashAlgorithm]
    private let engines: [DigestEngine]

    public init(_ algorithms: some Sequence<HashAlgorithm>) {
        self.algorithms = Array(Set(algorithms)).sorted()
        self.engines = self.algorithms.map { DigestEngine($0) }
    }

    /// Feeds one chunk to every algorithm.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        for engine in engines { engine.update(bytes) }
    }

    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Ends every hash. The hasher must not be used afterwards.
    public func finalize() -> [HashAlgorithm: Digest] {
        var out = [HashAlgorithm: Digest]()
        for engine in engines { out[engine.algorithm] = engine.finalize() }
        return out
    }
}
