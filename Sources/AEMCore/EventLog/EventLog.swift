/// A parsed TPM event log, of any supported format.
public struct EventLog: Sendable {
    public var format: EventLogFormat
    public var events: [MeasurementEvent]
    /// The banks the log records, from its header where it has one,
    /// otherwise from the events.
    public var banks: [HashAlgorithm]
    /// Whether the log records a dynamic launch (TXT SENTER): then PCRs
    /// 17-22 start from zero instead of all-ones.
    public var recordsDynamicLaunch: Bool
    /// Locality from a StartupLocality event: PCR 0's reset value ends in it.
    public var startupLocality: UInt8?
    public var warnings: [EventLogWarning]

    public init(
        format: EventLogFormat, events: [MeasurementEvent], banks: [HashAlgorithm],
        recordsDynamicLaunch: Bool, startupLocality: UInt8? = nil, warnings: [EventLogWarning] = []
    ) {
        self.format = format
        self.events = events
        self.banks = banks
        self.recordsDynamicLaunch = recordsDynamicLaunch
        self.startupLocality = startupLocality
        self.warnings = warnings
    }

    /// The banks replay and prediction work in: every bank the header or an
    /// event records that this build can hash (not SM3 without OpenSSL's),
    /// in `HashAlgorithm` order. The one place that filter is made.
    public var computableBanks: [HashAlgorithm] {
        Set(banks).union(events.lazy.flatMap(\.banks)).filter(\.isAvailable).sorted()
    }
}
