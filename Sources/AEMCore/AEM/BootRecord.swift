import Foundation

/// What `aem-reseal record` keeps of one AEM boot, in
/// `/var/lib/aem-reseal/boots/<boot time>/`: the DRTM log it could read,
/// the live PCRs, and the modules GRUB loaded with their file digests and
/// command lines. `predict` falls back to it when no live log can be read,
/// and uses its module digests as the evidence of what changed since.
public struct BootRecord: Sendable, Codable, Equatable {
    public var version: Int
    /// `btime` of the boot, seconds since 1970.
    public var bootTime: Int64
    public var recordedAt: Date
    /// Where the DRTM log came from (`tboot memory log (/dev/mem)`, a file).
    public var logSource: String
    /// The log file name inside the record folder.
    public var logFile: String
    public var entryTitle: String?
    public var modules: [RecordedModule]
    /// The MLE (tboot, or Xen under TrenchBoot) with whether it reproduced
    /// its measurement (absent in older records, and when the log has no
    /// MLE event). Kept under the key `tboot`, as records always had it.
    public var mle: RecordedModule?
    /// The SINIT ACMs and LCP files the entry loaded (tboot does not measure
    /// them; SINIT's own events depend on them). Absent in older records.
    public var droppedModules: [RecordedModule]?
    public var pcrs: PCRValues?
    public var xenVersion: String?
    public var kernelRelease: String?
    /// Whether the SRK password AEM's unseal cached at this boot was empty
    /// (what `tpm_z_srk`/`tpm2_z_srk` told it; never the password itself).
    /// AEM's seal service removes the cache once it has sealed (on TPM 1.2;
    /// on TPM 2.0 its library's own exit trap replaces the removal), so
    /// `stage` later in the boot seals with the empty password on this
    /// word. Absent when there was no cache to look at.
    public var srkPasswordEmpty: Bool?
    /// The command lines this boot ran with, as the running system showed
    /// them when it was recorded (absent in older records).
    public var bootedCommandLines: BootedCommandLines?

    public init(
        bootTime: Int64, recordedAt: Date, logSource: String, logFile: String, entryTitle: String?,
        modules: [RecordedModule],
        mle: RecordedModule? = nil, droppedModules: [RecordedModule]? = nil, pcrs: PCRValues?, xenVersion: String?,
        kernelRelease: String?, srkPasswordEmpty: Bool? = nil, bootedCommandLines: BootedCommandLines? = nil
    ) {
        self.bootedCommandLines = bootedCommandLines
        self.srkPasswordEmpty = srkPasswordEmpty
        self.mle = mle
        self.droppedModules = droppedModules
        version = 1
        self.bootTime = bootTime
        self.recordedAt = recordedAt
        self.logSource = logSource
        self.logFile = logFile
        self.entryTitle = entryTitle
        self.modules = modules
        self.pcrs = pcrs
        self.xenVersion = xenVersion
        self.kernelRelease = kernelRelease
    }

    private enum CodingKeys: String, CodingKey {
        case version, bootTime, recordedAt, logSource, logFile, entryTitle, modules, droppedModules, pcrs
        case xenVersion, kernelRelease, srkPasswordEmpty, bootedCommandLines
        case mle = "tboot"
    }

    public static let fileName = "record.json"

    /// The record of a given boot; nil when `record` did not run during
    /// it. A record that cannot be read or decoded is an error, never "none".
    public static func load(in directory: String) throws -> BootRecord? {
        do {
            return try StoredJSON.read(BootRecord.self, from: directory + "/" + fileName)
        } catch let error as FileAccessError where error.reason == .system(.noSuchFileOrDirectory) {
            return nil
        }
    }

    /// Writes the record into its boot's folder, which must exist.
    public func save(in directory: String) throws {
        try StoredJSON.write(self, to: directory + "/" + Self.fileName)
    }

    /// Record folders, newest boot first; none when the folder of records
    /// does not exist. One that cannot be listed is an error.
    public static func folders(in layout: SystemLayout) throws -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: layout.bootRecords)
        } catch CocoaError.fileReadNoSuchFile {
            names = []
        }
        return names.filter { Int64($0) != nil }.sorted { Int64($0)! > Int64($1)! }.map {
            layout.bootRecords + "/" + $0
        }
    }
}
