/// Why anti-evil-maid.conf's `SEAL` cannot be read. Thrown by
/// `AEMConfiguration.parse(_:)`; `line` is 1-based, 0 when no line applies.
public struct AEMConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var reason: Reason

    public enum Reason: Sendable, Equatable {
        case noSealLine
        /// A word other than `--pcr N`.
        case unexpectedWord(String)
        /// `--pcr` with something other than 0-23.
        case notAPCRIndex(String)
        case noPCR
        case unterminatedQuote
    }

    public var description: String {
        let text: String
        switch reason {
        case .noSealLine: text = "no SEAL= line"
        case let .unexpectedWord(word): text = "unexpected \"\(word)\" in SEAL (expected --pcr N)"
        case let .notAPCRIndex(value): text = "\"\(value)\" is not a PCR index (0-23)"
        case .noPCR: text = "SEAL names no PCR"
        case .unterminatedQuote: text = "unterminated quote in SEAL"
        }
        return "anti-evil-maid.conf:\(line): \(text)"
    }
}
