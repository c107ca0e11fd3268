/// How far a snapshot of /boot may go: an offline attacker can fill the
/// partition with deep trees, many names, or huge files full of holes
/// (which cost hashing time like any other bytes). When a bound is
/// reached, what is left is unknown, never absent: the bound decides how
/// much is known, never what is vouched for.
public struct SnapshotBounds: Sendable {
    /// Folders below this many levels are not listed.
    public var maximumDepth = 6
    /// Names kept in all (a folder that would pass it is not listed).
    public var maximumNames = BootFileSnapshot.maximumNames
    /// Bytes hashed in all.
    public var maximumBytes: Int64 = 8 << 30
    /// Time spent hashing in all: `record` runs at every boot, before AEM's
    /// seal service.
    public var maximumDuration: Duration = .seconds(5)
    /// The clock the time bound is read on (tests give one that jumps).
    public var now: @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }

    public init() {}
}
