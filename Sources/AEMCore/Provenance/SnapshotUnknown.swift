/// Why a snapshot of /boot does not know a file's content, or whether a
/// folder held other names: kept with the snapshot, shown in every
/// refusal that stands on it. Unknown is never read as "absent" or
/// "unchanged": it vouches for nothing.
public struct SnapshotUnknown: Sendable, Codable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable, Codable, Equatable {
        /// The snapshot's time bound was reached before the file was hashed.
        case overTime = "over-time"
        /// The snapshot's byte bound was reached before the file was hashed.
        case overBytes = "over-bytes"
        /// It could not be opened or read (`detail` says why).
        case unreadable
        /// The folder could not be listed, or not completely (`detail`).
        case notListed = "not-listed"
        /// The folder lies deeper than the snapshot descends.
        case tooDeep = "too-deep"
        /// The snapshot already holds as many names as it may.
        case tooManyNames = "too-many-names"
        /// The snapshot was written by an earlier version of aem-reseal,
        /// which could leave names out (names that are not UTF-8, files
        /// over its size bound) while calling itself complete.
        case earlierFormat = "earlier-format"
    }

    public var reason: Reason
    /// What failed, in the system's words (an `Errno`, a bound).
    public var detail: String?

    public init(_ reason: Reason, detail: String? = nil) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String {
        let text: String
        switch reason {
        case .overTime: text = "the snapshot's time bound was reached before it was hashed"
        case .overBytes: text = "the snapshot's byte bound was reached before it was hashed"
        case .unreadable: text = "it could not be read"
        case .notListed: text = "its folder could not be listed completely"
        case .tooDeep: text = "its folder lies deeper than the snapshot descends"
        case .tooManyNames: text = "the snapshot held as many names as it may before reaching it"
        case .earlierFormat:
            text = "the snapshot was taken by an earlier aem-reseal, which could leave names out"
        }
        return detail.map { "\(text) (\($0))" } ?? text
    }
}
