/// A digest in one hash algorithm: an event's measurement or a PCR value.
public struct Digest: Hashable, Sendable, CustomStringConvertible {
    public let algorithm: HashAlgorithm
    public let bytes: [UInt8]

    /// Wraps bytes that are known to be `algorithm.digestSize` long.
    public init(algorithm: HashAlgorithm, bytes: [UInt8]) {
        precondition(bytes.count == algorithm.digestSize, "digest length does not match \(algorithm)")
        self.algorithm = algorithm
        self.bytes = bytes
    }

    /// Parses a hexadecimal digest; nil when it is not hex or has the wrong length.
    public init?(algorithm: HashAlgorithm, hex: some StringProtocol) {
        guard let bytes = Hex.decode(hex), bytes.count == algorithm.digestSize else { return nil }
        self.init(algorithm: algorithm, bytes: bytes)
    }

    /// The all-zero value: a PCR after reset.
    public static func zero(_ algorithm: HashAlgorithm) -> Digest {
        Digest(algorithm: algorithm, bytes: [UInt8](repeating: 0, count: algorithm.digestSize))
    }

    /// The all-ones value: a DRTM PCR (17-22) before any dynamic launch.
    public static func ones(_ algorithm: HashAlgorithm) -> Digest {
        Digest(algorithm: algorithm, bytes: [UInt8](repeating: 0xFF, count: algorithm.digestSize))
    }

    /// Lowercase hexadecimal.
    public var hex: String { Hex.encode(bytes) }

    public var description: String { "\(algorithm):\(hex)" }

    public var isAllZero: Bool { bytes.allSatisfy { $0 == 0 } }
    public var isAllOnes: Bool { bytes.allSatisfy { $0 == 0xFF } }

    /// The PCR extend operation: `H(self || measurement)`.
    public func extended(with measurement: Digest) -> Digest {
        precondition(measurement.algorithm == algorithm, "cannot extend \(algorithm) with \(measurement.algorithm)")
        let hasher = DigestEngine(algorithm)
        hasher.update(bytes)
        hasher.update(measurement.bytes)
        return hasher.finalize()
    }
}
