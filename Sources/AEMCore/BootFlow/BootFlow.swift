/// A model of how a measured-launch boot chain extends the DRTM PCRs.
///
/// Each flow says which log events measure the modules and how, so that
/// the prediction knows which events to recompute: tboot (legacy and
/// details/authorities mappings) and TrenchBoot (Xen as the MLE).
public protocol BootFlow: Sendable {
    /// The flow's name in output and JSON (`tboot-legacy`, `tboot-da`).
    var name: String { get }
    /// One line for humans: the TPM and PCR mapping.
    var summary: String { get }
    /// The bank stock AEM seals in for this flow's TPM.
    var sealBank: HashAlgorithm { get }
    /// The TPM the flow implies.
    var tpmVersion: TPMVersion { get }
    /// Every PCR the flow ever extends.
    var extendedPCRs: Set<UInt32> { get }
    /// The PCR a module's measurement goes to.
    func modulePCR(index: Int) -> UInt32
    /// Explains which PCRs a module change moves, for users who read the
    /// security bulletins' "PCR 18 and 19 will change".
    var pcrExplanation: String { get }

    /// The launcher the GRUB entry must use for this flow.
    var launcher: DynamicLaunchLoader { get }

    /// Finds the launch's own events in the log (tboot's 0x501, or Xen's
    /// 0x502) and splits them into policy and module measurements when
    /// they follow this flow, else nil.
    func recognize(_ log: EventLog) -> LaunchMeasurementLayout?

    /// The measurement a module's event holds, from the command line it
    /// receives and the digest of its image as GRUB loaded it.
    func moduleMeasurement(commandLine: String, imageDigest: Digest) -> Digest

    /// Whether SINIT's MLE measurement (event 0x404) includes the MLE's
    /// command line (tboot copies it into its MLE header; Xen has no such area).
    var mleMeasuresCommandLine: Bool { get }

    /// Whether a module's event includes its command line (tboot hashes
    /// it in; under TrenchBoot it goes to PCR 18 with GRUB's MBI only).
    var measuresModuleCommandLines: Bool { get }

    /// PCRs the flow extends with values no file predicts, with the reason.
    var unpredictablePCRs: [UInt32: String] { get }

    /// The events that measure the MLE (tboot, or Xen under TrenchBoot) as
    /// `MLEMeasurement` computes it: SINIT's 0x404 on Intel.
    func mleEvents(in log: EventLog) -> [MeasurementEvent]

    /// Events that measure the MLE's entry point (AMD's "DLME entry
    /// offset": the MLE header's `entry_point` as 4 little-endian bytes).
    func mleEntryEvents(in log: EventLog) -> [MeasurementEvent]

    /// Whether the launcher takes a module of the entry without measuring
    /// it as a module (tboot drops SINIT and LCP files it is handed).
    func dropsBeforeMeasuring(_ image: LoadedModuleImage) -> Bool
}

extension BootFlow {
    public var unpredictablePCRs: [UInt32: String] { [:] }

    public func mleEvents(in log: EventLog) -> [MeasurementEvent] {
        log.events.filter { $0.type == .txtMLEHash && $0.affectsPCR }
    }

    public func mleEntryEvents(in log: EventLog) -> [MeasurementEvent] { [] }

    public func dropsBeforeMeasuring(_ image: LoadedModuleImage) -> Bool { false }
}
