/// One thing the self-check found that the model does not reproduce, as
/// data: the PCRs, banks, digests, paths and log events it rests on. The
/// CLI puts it into words (`SelfCheckProblem+Text` in aem-reseal/Output);
/// tests and other callers match on the case.
public enum SelfCheckProblem: Sendable, Equatable {
    /// The live PCRs and the log share no bank, so nothing can be compared.
    case noSharedBank(live: [HashAlgorithm], log: [HashAlgorithm])
    /// The current boot's log does not replay to the live value of `pcr`
    /// (in `live.algorithm`'s bank): the log is incomplete or not this boot's.
    case logDoesNotReplay(pcr: UInt32, live: Digest, replayed: Digest, events: [Int])
    /// A module the evidence calls unchanged recomputes to another
    /// measurement than the one logged.
    case unchangedModuleDiffers(UnchangedModuleMismatch)
    /// The command line GRUB would pass is not the one tboot printed at this
    /// boot, though the module reproduces its logged measurement
    /// (`reproducesLog`) or the boot record calls the command line unchanged.
    case commandLineDisagreesWithTboot(ModuleReference, printed: String, computed: String, reproducesLog: Bool)
    /// The MLE (tboot, or Xen under TrenchBoot) is unchanged per the boot
    /// record but does not recompute to SINIT's logged measurement.
    case unchangedMLEDiffers(
        launcher: DynamicLaunchLoader, path: String, logged: Digest?, recomputed: Digest?, events: [Int])
    /// The launch's measurement of a new MLE cannot be proven on this machine.
    case mleUnproven(
        launcher: DynamicLaunchLoader, path: String, change: ChangeFinding, logged: Digest?, recomputed: Digest?,
        events: [Int])
    /// The MLE header's entry point does not reproduce AMD's logged "DLME
    /// entry offset".
    case dlmeEntryPointDiffers(path: String, pcr: UInt32, entryPoint: UInt32?, events: [Int])
    /// The entry loads another number of measured modules than this boot.
    case moduleCountChanged(logged: Int, now: [String], events: [Int])
    /// SINIT ACM or LCP modules differ from those recorded at this boot.
    case sinitModulesChanged(recorded: [RecordedModule], now: [RecordedModule], events: [Int])
    /// The next dom0 command line unlocks another set of LUKS devices, whose
    /// headers AEM measures into PCR 13 (carried over from this boot).
    case luksDevicesChanged(before: [String], after: [String])

    /// A module named by its role, GRUB path and PCR.
    public struct ModuleReference: Sendable, Equatable {
        public var role: ModuleRole
        public var path: String
        public var pcr: UInt32

        public init(role: ModuleRole, path: String, pcr: UInt32) {
            self.role = role
            self.path = path
            self.pcr = pcr
        }
    }

    /// An unchanged module whose recomputed measurement differs in one bank,
    /// with the evidence that called it unchanged and how it was loaded.
    public struct UnchangedModuleMismatch: Sendable, Equatable {
        public var module: ModuleReference
        public var logged: Digest
        public var recomputed: Digest
        public var imageChange: ChangeFinding
        public var commandLineChange: ChangeFinding
        public var compression: ModuleCompression
        /// The module's measurement event in the current boot's log.
        public var event: Int
    }

    /// The PCR concerned, when one is.
    public var pcr: UInt32? {
        switch self {
        case let .logDoesNotReplay(pcr, _, _, _), let .dlmeEntryPointDiffers(_, pcr, _, _): return pcr
        case let .unchangedModuleDiffers(mismatch): return mismatch.module.pcr
        case let .commandLineDisagreesWithTboot(module, _, _, _): return module.pcr
        case .luksDevicesChanged: return 13
        case .noSharedBank, .unchangedMLEDiffers, .mleUnproven, .moduleCountChanged, .sinitModulesChanged: return nil
        }
    }

    /// The bank concerned, when one is.
    public var bank: HashAlgorithm? {
        switch self {
        case let .logDoesNotReplay(_, live, _, _): return live.algorithm
        case let .unchangedModuleDiffers(mismatch): return mismatch.logged.algorithm
        case let .unchangedMLEDiffers(_, _, logged, _, _), let .mleUnproven(_, _, _, logged, _, _):
            return logged?.algorithm
        default: return nil
        }
    }

    /// Sequence numbers of the log events behind the compared value.
    public var events: [Int] {
        switch self {
        case let .logDoesNotReplay(_, _, _, events), let .unchangedMLEDiffers(_, _, _, _, events),
            let .mleUnproven(_, _, _, _, _, events), let .dlmeEntryPointDiffers(_, _, _, events),
            let .moduleCountChanged(_, _, events), let .sinitModulesChanged(_, _, events):
            return events
        case let .unchangedModuleDiffers(mismatch): return [mismatch.event]
        case .noSharedBank, .commandLineDisagreesWithTboot, .luksDevicesChanged: return []
        }
    }
}
