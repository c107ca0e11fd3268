/// Why a TPM 1.2 sealed blob cannot be read offline. Thrown by `TPM12StoredData.parse(_:)`.
public enum TPM12StoredDataError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    /// A TPM_STORED_DATA12 shorter than its fields.
    case truncated
    /// Its TPM_PCR_INFO_LONG (1.2 layout) or TPM_PCR_INFO (1.1 layout) does not parse.
    case malformedPCRInfo(long: Bool)
    /// Neither layout's header.
    case notStoredData
    /// Sealed to no PCR at all: it would open on any boot.
    case boundToNoPCR

    public var description: String {
        switch self {
        case .empty: return "the sealed blob is empty"
        case .truncated: return "the TPM_STORED_DATA12 is truncated"
        case let .malformedPCRInfo(long): return "the \(long ? "TPM_PCR_INFO_LONG" : "TPM_PCR_INFO") is malformed"
        case .notStoredData: return "not a TPM_STORED_DATA or TPM_STORED_DATA12"
        case .boundToNoPCR: return "the sealed blob is bound to no PCR"
        }
    }
}
