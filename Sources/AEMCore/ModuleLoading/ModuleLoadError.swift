/// Why a boot module could not be loaded as GRUB would load it. Thrown by
/// `ModuleImageLoader` and every `StreamDecompressor`; `path` is the
/// module's GRUB path.
public struct ModuleLoadError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: Reason

    public enum Reason: Equatable, Sendable {
        /// The file could not be opened or read: missing, not a regular
        /// file (a FIFO is never waited on), links that loop, too large.
        case access(FileAccessError)
        /// Decompressed, it would exceed `limit` bytes: a decompression bomb.
        case tooLarge(limit: Int)
        /// The decompression library could not start a decoder.
        case decoderUnavailable(ModuleCompression)
        /// The compressed data is damaged; `detail` says how, when known.
        case corrupt(ModuleCompression, detail: String?)
        case truncated(ModuleCompression)
        /// Data other than zero padding follows the end of the stream,
        /// which GRUB would not load as part of the module.
        case trailingData(ModuleCompression)
        /// An lzop file made with a method other than LZO1X, which GRUB cannot unpack.
        case unsupportedLzopMethod(UInt8)
        /// Loading it spent what was left of the run's `WorkBudget`.
        case budgetSpent(WorkBudgetExceeded)
    }

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "module \(path): \(reasonText)" }

    private var reasonText: String {
        switch reason {
        case let .access(error): return error.description
        case let .tooLarge(limit): return "it loads to more than \(limit) bytes; refusing a decompression bomb"
        case let .decoderUnavailable(compression): return "could not start a \(compression.rawValue) decoder"
        case let .corrupt(compression, detail):
            return "the \(compression.rawValue) data is corrupt" + (detail.map { " (\($0))" } ?? "")
        case let .truncated(compression): return "the \(compression.rawValue) stream is truncated"
        case .trailingData(.gzip):
            return "data follows the gzip stream (a multi-member gzip file); GRUB would not load it as one stream"
        case let .trailingData(compression):
            return "data follows the end of the \(compression.rawValue) stream; GRUB reads one stream only"
        case let .unsupportedLzopMethod(method): return "lzop method \(method) is not LZO1X; GRUB cannot unpack it"
        case let .budgetSpent(exceeded): return exceeded.description
        }
    }
}
