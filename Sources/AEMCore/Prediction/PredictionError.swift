/// Why no prediction could be made.
public enum PredictionError: Error, Sendable, CustomStringConvertible {
    /// The log's tboot events follow no known flow.
    case unknownFlow(String)
    /// A module file could not be loaded as GRUB would.
    case moduleLoad(ModuleLoadError)
    /// A module path cannot be found on the boot partition.
    case badModulePath(String)
    /// tboot cannot be measured as SINIT measures it (event 0x404).
    case tbootMeasurement(path: String, TbootMLEMeasurement.Failure)

    public var description: String {
        switch self {
        case let .unknownFlow(detail):
            return detail
        case let .moduleLoad(error):
            return error.description
        case let .badModulePath(path):
            return "module path \(path) is not an absolute path on the boot partition"
        case let .tbootMeasurement(path, failure):
            return "\(path): SINIT's measurement of tboot (event 0x404) cannot be computed: \(failure)"
        }
    }
}
