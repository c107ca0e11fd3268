import AEMCore

/// The facts of the running boot that the engines share, each read at most
/// once per run and only when first needed: the boot time, the TPM's
/// version, the state file and AEM's configuration. A command makes one
/// and hands it to every engine it calls, so `stage` does not read
/// /proc/stat in three places, nor see two different answers.
///
/// Reading on first use (not all up front) keeps each command's failures
/// its own: `predict` never reads the state file, so a corrupt one does
/// not stop it. A reference type because the answers are kept as they
/// come; one run, one thread.
public final class BootContext {
    /// Where the system lives and which boot is meant.
    public let system: SystemSelection
    /// How to reach the TPM.
    public let tpm: TPMChoice
    private let facts: any SystemFacts
    private var bootTimeRead: Result<Int64?, CycleError>?
    private var tpmVersionRead: Result<TPMVersion, CycleError>?
    private var stateRead: Result<ResealState?, CycleError>?
    private var configurationRead: Result<AEMConfiguration?, CycleError>?
    private var xenConsoleRead: Result<String?, CycleError>?

    public init(system: SystemSelection, tpm: TPMChoice, facts: any SystemFacts = LiveSystemFacts()) {
        self.system = system
        self.tpm = tpm
        self.facts = facts
    }

    public var layout: SystemLayout { system.layout }

    /// The running boot's `btime`, which names its record and its staged
    /// set; nil when the root has none.
    public func bootTime() throws(CycleError) -> Int64? {
        if bootTimeRead == nil { bootTimeRead = Result { () throws(CycleError) in try facts.bootTime(layout) } }
        return try bootTimeRead!.get()
    }

    /// The TPM to use: `--tpm-version`, else what AEM would detect, else 2.0.
    public func tpmVersion() throws(CycleError) -> TPMVersion {
        if let version = tpm.tpmVersion { return version }
        if tpmVersionRead == nil {
            tpmVersionRead = Result { () throws(CycleError) in try facts.detectedTPMVersion(layout) ?? .tpm20 }
        }
        return try tpmVersionRead!.get()
    }

    /// The state file as this run found it. Unreadable is an error, never
    /// "no state": it may record an interrupted stage only it can finish.
    public func state() throws(CycleError) -> ResealState? {
        if stateRead == nil { stateRead = Result { () throws(CycleError) in try facts.resealState(layout) } }
        return try stateRead!.get()
    }

    /// AEM's configuration, nil when the file does not exist.
    public func aemConfiguration() throws(CycleError) -> AEMConfiguration? {
        if configurationRead == nil {
            configurationRead = Result { () throws(CycleError) in try facts.aemConfiguration(layout) }
        }
        return try configurationRead!.get()
    }

    /// This boot's record; nil when `record` made none.
    public func bootRecord() throws(CycleError) -> BootRecord? {
        guard let stamp = try bootTime() else { return nil }
        let folder = layout.bootRecords + "/\(stamp)"
        do {
            return try BootRecord.load(in: folder)
        } catch {
            throw .unreadable(.bootRecord, path: folder + "/" + BootRecord.fileName, detail: "\(error)")
        }
    }

    /// Xen's console messages of this boot (`XenConsole`), read once.
    public func xenConsole() throws(CycleError) -> String? {
        if xenConsoleRead == nil { xenConsoleRead = Result { () throws(CycleError) in try XenConsole.read(layout) } }
        return try xenConsoleRead!.get()
    }

    /// The command lines this boot ran with: dom0's `/proc/cmdline` and
    /// Xen's own from its console; nil where the system shows none.
    public func bootedCommandLines() throws(CycleError) -> BootedCommandLines {
        let proc: [UInt8]?
        do {
            proc = try FileBytes.readIfPresent(layout.kernelCommandLine, limit: 1 << 16)
        } catch {
            throw .unreadable(.kernelCommandLine, path: layout.kernelCommandLine, detail: "\(error.reason)")
        }
        return BootedCommandLines(procCommandLine: proc, xenConsole: try xenConsole())
    }

    /// How GRUB's configuration is evaluated, the boot partition's UUID
    /// from the mount table (what `search --fs-uuid` finds it by).
    public func grubSettings() throws(CycleError) -> GrubEvaluationSettings {
        do {
            return system.grubSettings(bootPartitionUUID: try BootPartitionIdentity.uuid(layout))
        } catch {
            throw .unreadable(.mountTable, path: error.path, detail: "\(error.reason)")
        }
    }

    /// Where the current boot's DRTM log is looked for.
    public func currentBootLogLocator() throws(CycleError) -> CurrentBootLogLocator {
        let named = system.eventLog != nil || system.tbootLog != nil
        return system.currentBootLogLocator(bootTime: try bootTime(), xenConsole: named ? nil : try xenConsole())
    }
}
