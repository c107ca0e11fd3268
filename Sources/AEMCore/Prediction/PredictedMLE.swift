import SystemPackage

/// tboot in the next boot: SINIT's measurement of it as the MLE (event
/// 0x404, `MLEMeasurement`) for the entry's tboot file and command
/// line, against the current boot's.
public struct PredictedMLE: Sendable {
    /// Whose MLE this is: tboot, or Xen itself under TrenchBoot.
    public var launcher: DynamicLaunchLoader
    /// The GRUB path of the multiboot kernel (`/tboot.gz`).
    public var path: String
    /// Its real path inside the boot partition, links resolved.
    public var partitionPath: FilePath?
    public var commandLine: String
    /// SHA-256 of the file as stored (what a boot record keeps).
    public var fileSHA256: Digest
    /// The measurement SINIT will log, per bank its 0x404 event uses.
    public var predicted: [Digest]
    /// The current boot's 0x404 event.
    public var current: [Digest]
    public var change: ChangeFinding
    /// Another tboot file on /boot that this boot measured, when found.
    public var bootedFile: String?
    /// The MLE header's entry point (AMD's SKL measures it), and the booted
    /// file's when that was found.
    public var entryPoint: UInt32?
    /// The PCRs its measurement events extend (17, or 18 with TrenchBoot's legacy mapping).
    public var pcrs: Set<UInt32> = []
    public var bootedEntryPoint: UInt32?
    /// Whether GRUB chose it as it chose this boot's: the same path and
    /// command line (nil when nothing tells).
    public var chosenAsBooted: Bool?

    public var sameAsCurrentBoot: Bool { predicted == current }

    /// Whether the MLE model is proven on this machine: by the entry's
    /// tboot, by the booted tboot found on /boot, or by the boot record.
    public var modelProven: Bool {
        sameAsCurrentBoot || bootedFile != nil || change.rung == .bootRecord && change.state != .unknown
    }
}
