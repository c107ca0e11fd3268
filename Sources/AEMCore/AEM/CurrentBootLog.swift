/// The current boot's DRTM event log and where it came from.
public struct CurrentBootLog: Sendable {
    public var log: EventLog
    /// tboot's memory log, when one was read: its module lines are evidence.
    public var tboot: TbootLog?
    /// A boot record, when the log came from one (or one exists for this boot).
    public var record: BootRecord?
    /// For humans: `--event-log FILE`, `tboot memory log (/dev/mem)`, ...
    public var source: String
    /// The log's bytes as read, for records.
    public var bytes: [UInt8]
}
