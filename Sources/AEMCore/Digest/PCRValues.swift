import Foundation

/// PCR values per bank: bank -> PCR index -> value.
///
/// Encodes to and decodes from the JSON shape every command of the tool
/// uses: `{"sha256": {"17": "<lowercase hex>"}}`.
public struct PCRValues: Sendable, Equatable, Codable {
    private var storage: [HashAlgorithm: [UInt32: Digest]]

    public init() { storage = [:] }

    public init(_ values: [Digest], at pcr: UInt32) {
        storage = [:]
        for value in values { self[value.algorithm, pcr] = value }
    }

    public subscript(bank: HashAlgorithm, pcr: UInt32) -> Digest? {
        get { storage[bank]?[pcr] }
        set {
            if let newValue {
                precondition(newValue.algorithm == bank, "value of \(newValue.algorithm) stored in \(bank) bank")
            }
            storage[bank, default: [:]][pcr] = newValue
            if storage[bank]?.isEmpty == true { storage[bank] = nil }
        }
    }

    /// Banks that hold at least one value, in algorithm-ID order.
    public var banks: [HashAlgorithm] { storage.keys.sorted() }

    /// PCR indices known in a bank, ascending.
    public func pcrs(in bank: HashAlgorithm) -> [UInt32] {
        (storage[bank] ?? [:]).keys.sorted()
    }

    public var isEmpty: Bool { storage.isEmpty }

    /// Keeps only the given PCRs (in every bank).
    public func restricted(to pcrs: Set<UInt32>) -> PCRValues {
        var out = PCRValues()
        for bank in banks {
            for pcr in self.pcrs(in: bank) where pcrs.contains(pcr) {
                out[bank, pcr] = self[bank, pcr]
            }
        }
        return out
    }

    // MARK: Codable

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode([String: [String: String]].self)
        storage = [:]
        for (bankName, values) in raw {
            guard let bank = HashAlgorithm(name: bankName) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "unknown PCR bank \"\(bankName)\"")
            }
            for (pcrText, hex) in values {
                guard let pcr = UInt32(pcrText), pcr < 24 else {
                    throw DecodingError.dataCorruptedError(
                        in: container, debugDescription: "PCR index \"\(pcrText)\" in bank \(bankName) is not 0-23")
                }
                guard let digest = Digest(algorithm: bank, hex: hex) else {
                    throw DecodingError.dataCorruptedError(
                        in: container,
                        debugDescription: "PCR \(pcr) in bank \(bankName) is not \(bank.digestSize * 2) hex digits")
                }
                self[bank, pcr] = digest
            }
        }
    }

    public func encode(to encoder: Encoder) throws {
        var raw = [String: [String: String]]()
        for bank in banks {
            var values = [String: String]()
            for pcr in pcrs(in: bank) { values[String(pcr)] = self[bank, pcr]!.hex }
            raw[bank.rawValue] = values
        }
        var container = encoder.singleValueContainer()
        try container.encode(raw)
    }
}
