/// Everything recovered from tboot's memory log: the post-launch DRTM event
/// log (SINIT's events as tboot dumped them, then each event tboot appended)
/// and the module verification lines.
public struct TbootLog: Sendable {
    /// The DRTM events, formatted `tboot-memlog` or `tboot-text`.
    public var eventLog: EventLog
    /// The layout of the TXT log tboot dumped (`txt12`, `txt2-legacy` or `tcg2`).
    public var dumpFormat: EventLogFormat
    public var modules: [TbootModuleVerification]
    /// tboot's version string, from its banner.
    public var version: String?

    public init(eventLog: EventLog, dumpFormat: EventLogFormat, modules: [TbootModuleVerification], version: String?) {
        self.eventLog = eventLog
        self.dumpFormat = dumpFormat
        self.modules = modules
        self.version = version
    }
}
