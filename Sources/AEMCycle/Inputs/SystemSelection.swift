import AEMCore

/// Where the system lives and which boot is meant: `--root` and the files
/// and entry the user named, as every engine reads them.
public struct SystemSelection: Sendable {
    /// The root of the system: boot, etc, var, run, proc, sys and dev are read under it.
    public var root: String
    /// The boot partition (nil: `<root>/boot`).
    public var bootDirectory: String?
    /// GRUB's configuration (nil: the layout's).
    public var grubConfiguration: String?
    /// The GRUB entry to predict (nil: GRUB's default).
    public var entry: String?
    /// The current boot's DRTM event log, when named.
    public var eventLog: String?
    /// tboot's memory log, when named.
    public var tbootLog: String?
    /// Where the AEM media is mounted, when named.
    public var media: String?

    public init(
        root: String = "/", bootDirectory: String? = nil, grubConfiguration: String? = nil, entry: String? = nil,
        eventLog: String? = nil, tbootLog: String? = nil, media: String? = nil
    ) {
        self.root = root
        self.bootDirectory = bootDirectory
        self.grubConfiguration = grubConfiguration
        self.entry = entry
        self.eventLog = eventLog
        self.tbootLog = tbootLog
        self.media = media
    }

    public var layout: SystemLayout { SystemLayout(root: root, bootDirectory: bootDirectory) }

    /// Where the current boot's DRTM log is looked for: the files named,
    /// else (only then is Xen's console read) the live sources and records.
    /// - Parameter bootTime: this boot's `btime`, naming its record.
    public func currentBootLogLocator(bootTime: Int64?, xenConsole: String?) -> CurrentBootLogLocator {
        CurrentBootLogLocator(
            layout: layout, bootTime: bootTime, eventLogFile: eventLog, tbootLogFile: tbootLog, xenConsole: xenConsole)
    }

    /// How GRUB's configuration is evaluated: `--grub-cfg`, else the
    /// layout's; `bootPartitionUUID` is what GRUB's `search --fs-uuid`
    /// finds the boot partition by.
    public func grubSettings(bootPartitionUUID: String?) -> GrubEvaluationSettings {
        GrubEvaluationSettings(
            bootDirectory: layout.bootDirectory, configurationFile: grubConfiguration ?? layout.grubConfiguration,
            bootPartitionUUID: bootPartitionUUID)
    }
}
