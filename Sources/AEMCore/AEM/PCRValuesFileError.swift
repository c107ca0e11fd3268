/// Why a `--pcrs-file` cannot be read as PCR values. Thrown by
/// `PCRValuesFile.parse(_:)`; `line` is 1-based when one line is at fault.
public struct PCRValuesFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int?
    public var reason: Reason

    public init(line: Int? = nil, reason: Reason) {
        self.line = line
        self.reason = reason
    }

    public enum Reason: Sendable, Equatable {
        /// JSON that does not decode, with the decoder's words.
        case invalidJSON(String)
        /// Neither JSON nor tpm2_pcrread's YAML nor the sysfs TPM 1.2 form.
        case notJSONOfTheRightForm
        /// A line of the sysfs form other than "PCR-NN: XX XX ...".
        case notASysfsLine(String)
        /// A line of the YAML form that is neither "bank:" nor "N: 0x...".
        case notABankOrValueLine(String)
        case valueBeforeBank
        case notAPCRIndex(String)
        /// The value's length does not fit the bank.
        case wrongLength(pcr: UInt32, bank: String)
        case noValues
    }

    public var description: String {
        let place = line.map { "PCR file line \($0)" } ?? "PCR file"
        switch reason {
        case let .invalidJSON(detail): return "\(place): \(detail)"
        case .notJSONOfTheRightForm:
            return "\(place) is not valid JSON of the form {\"<bank>\": {\"<pcr>\": \"<hex>\"}}"
        case let .notASysfsLine(text): return "\(place): \"\(text)\" is not a \"PCR-NN: XX XX ...\" line"
        case let .notABankOrValueLine(text): return "\(place): \"\(text)\" is neither a bank nor a PCR value"
        case .valueBeforeBank: return "\(place): a PCR value before any bank line"
        case let .notAPCRIndex(text): return "\(place): \"\(text)\" is not a PCR index"
        case let .wrongLength(pcr, bank): return "\(place): PCR \(pcr) is not a \(bank) value"
        case .noValues: return "\(place) holds no PCR values"
        }
    }
}
