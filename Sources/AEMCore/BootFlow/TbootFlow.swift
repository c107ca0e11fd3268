/// What every tboot flow shares: tboot is the MLE (SINIT measures it with
/// its command line), and tboot measures each module as
/// `H(H(command line) || H(image))`.
public protocol TbootFlow: BootFlow {}

extension TbootFlow {
    public var launcher: DynamicLaunchLoader { .tboot }
    public var mleMeasuresCommandLine: Bool { true }
    public var measuresModuleCommandLines: Bool { true }

    public func moduleMeasurement(commandLine: String, imageDigest: Digest) -> Digest {
        TbootModuleMeasurement.digest(commandLine: commandLine, imageDigest: imageDigest)
    }

    /// tboot takes SINIT ACMs and LCP files handed as modules for itself.
    public func dropsBeforeMeasuring(_ image: LoadedModuleImage) -> Bool { image.isDroppedByTboot }
}
