/// `key.pcrs` as stock AEM writes it (`sha256:13,17,18`): the bank and the
/// PCRs a TPM 2.0 set's key is sealed to, which AEM's unseal reads back.
public struct PCRSelectionFile: Sendable, Equatable {
    public var bank: HashAlgorithm
    public var pcrs: [UInt32]

    public init(bank: HashAlgorithm, pcrs: [UInt32]) {
        self.bank = bank
        self.pcrs = pcrs
    }

    /// Parses the file's text; nil when it is not `bank:pcr,...` with
    /// PCRs below 24.
    public init?(_ text: String) {
        let parts = text.split(whereSeparator: { $0.isWhitespace }).joined().split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let bank = HashAlgorithm(name: String(parts[0])) else { return nil }
        let pcrs = parts[1].split(separator: ",").map { UInt32($0) }
        guard !pcrs.isEmpty, pcrs.allSatisfy({ $0 != nil && $0! < 24 }) else { return nil }
        self.init(bank: bank, pcrs: pcrs.map { $0! })
    }

    /// The file's text, ending in a newline.
    public var text: String { "\(bank.rawValue):" + pcrs.map(String.init).joined(separator: ",") + "\n" }
}
