/// Upper bounds that keep a hostile log from exhausting memory or time.
///
/// Real DRTM logs hold a few dozen events in a few kilobytes; firmware logs
/// a few hundred in well under a megabyte. The bounds are orders of
/// magnitude above that.
public struct EventLogLimits: Sendable {
    public var maximumLogBytes: Int
    public var maximumEvents: Int
    public var maximumEventDataBytes: Int
    public var maximumDigestsPerEvent: Int

    public init(maximumLogBytes: Int, maximumEvents: Int, maximumEventDataBytes: Int, maximumDigestsPerEvent: Int) {
        self.maximumLogBytes = maximumLogBytes
        self.maximumEvents = maximumEvents
        self.maximumEventDataBytes = maximumEventDataBytes
        self.maximumDigestsPerEvent = maximumDigestsPerEvent
    }

    public static let standard = EventLogLimits(
        maximumLogBytes: 64 << 20, maximumEvents: 1_000_000, maximumEventDataBytes: 16 << 20, maximumDigestsPerEvent: 16
    )
}
