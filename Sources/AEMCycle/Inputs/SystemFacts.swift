import AEMCore

/// Where the facts of a boot come from: the files under the system's root
/// (`LiveSystemFacts`). `BootContext` asks for each at most once per run;
/// a test can hand it a source that counts.
public protocol SystemFacts {
    /// The running boot's `btime` (/proc/stat), nil when there is none.
    func bootTime(_ layout: SystemLayout) throws(CycleError) -> Int64?
    /// The TPM's version as AEM detects it (sysfs), nil when there is no TPM there.
    func detectedTPMVersion(_ layout: SystemLayout) throws(CycleError) -> TPMVersion?
    /// The cycle's state file, nil when there is none.
    func resealState(_ layout: SystemLayout) throws(CycleError) -> ResealState?
    /// AEM's configuration, nil when the file does not exist.
    func aemConfiguration(_ layout: SystemLayout) throws(CycleError) -> AEMConfiguration?
}

/// The facts as the files under the layout's root hold them.
public struct LiveSystemFacts: SystemFacts {
    public init() {}

    public func bootTime(_ layout: SystemLayout) throws(CycleError) -> Int64? {
        do {
            return try layout.bootTimeSeconds()
        } catch {
            throw .unreadable(.bootTime, path: layout.procStat, detail: "\(error.reason)")
        }
    }

    public func detectedTPMVersion(_ layout: SystemLayout) throws(CycleError) -> TPMVersion? {
        do {
            return try layout.tpmVersion()
        } catch {
            throw .unreadable(.tpmVersion, path: layout.tpmVersionMajor, detail: "\(error.reason)")
        }
    }

    public func resealState(_ layout: SystemLayout) throws(CycleError) -> ResealState? {
        try ResealState.read(layout)
    }

    public func aemConfiguration(_ layout: SystemLayout) throws(CycleError) -> AEMConfiguration? {
        try AEMConfigurationFile.load(layout)
    }
}
