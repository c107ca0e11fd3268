/// Why a file is not a tboot image this model can measure.
public enum MLEMeasurementError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file cannot be read.
    case unreadable(FileAccessError)
    case notGzipOrELF(String)
    case notTbootELF(String)
    case tooLarge(what: String, limit: Int)
    case noMLEHeader
    case outOfBounds(String)
    case commandLineTooLong(limit: Int)

    public var description: String {
        switch self {
        case let .unreadable(error): return error.description
        case let .notGzipOrELF(detail): return "not a gzip'd or plain ELF file: \(detail)"
        case let .notTbootELF(detail): return "not a 32-bit x86 executable ELF as tboot is: \(detail)"
        case let .tooLarge(what, limit): return "\(what) exceeds \(limit) bytes"
        case .noMLEHeader: return "no MLE header (its UUID) in the loaded image"
        case let .outOfBounds(detail): return "the MLE header points outside the image: \(detail)"
        case let .commandLineTooLong(limit):
            return "tboot's command line is longer than its MLE command-line area (\(limit) bytes)"
        }
    }
}
