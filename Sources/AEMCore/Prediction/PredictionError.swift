/// Why no prediction could be made.
public enum PredictionError: Error, Sendable, CustomStringConvertible {
    /// The log's launch events follow no known flow; `tbootEventPCRs` are
    /// the PCRs its tboot events extend.
    case unknownFlow(tbootEventPCRs: [UInt32])
    /// The log records one kind of launch, the GRUB entry boots another
    /// (`entryLauncher` nil: no measured launch at all).
    case launcherMismatch(
        flow: String, logLauncher: DynamicLaunchLoader, entry: String, entryLauncher: DynamicLaunchLoader?)
    /// A module file could not be loaded as GRUB would.
    case moduleLoad(ModuleLoadError)
    /// A module path cannot be found on the boot partition.
    case badModulePath(String)
    /// tboot cannot be measured as SINIT measures it (event 0x404).
    case mleMeasurement(path: String, MLEMeasurementError)
    /// The prediction's `WorkBudget` was spent (hostile input on /boot).
    case budgetSpent(WorkBudgetExceeded)

    public var description: String {
        switch self {
        case let .unknownFlow(pcrs):
            return
                "the DRTM log's tboot events (PCRs "
                + "\(pcrs.isEmpty ? "none" : pcrs.map(String.init).joined(separator: ", "))) "
                + "follow neither the legacy nor the details/authorities mapping, and it has no "
                + "TrenchBoot (Xen 0x502) events; "
                + "is this a tboot boot with its default policy?"
        case let .launcherMismatch(flow, logLauncher, entry, entryLauncher):
            return
                "the current boot's DRTM log is a \(logLauncher.rawValue) launch (\(flow)), but the GRUB "
                + "entry \"\(entry)\" boots "
                + (entryLauncher.map { "through \($0.rawValue)" } ?? "without a measured launch")
                + ": predict the entry the current boot used, or boot the new entry once and reseal with stock AEM"
        case let .moduleLoad(error):
            return error.description
        case let .badModulePath(path):
            return "module path \(path) is not an absolute path on the boot partition"
        case let .mleMeasurement(path, failure):
            return "\(path): SINIT's measurement of tboot (event 0x404) cannot be computed: \(failure)"
        case let .budgetSpent(exceeded):
            return exceeded.description
        }
    }
}
