/// The PCR values the next boot will produce, and how they were obtained.
public struct Prediction: Sendable {
    public var flow: any BootFlow
    public var entry: GrubBootEntry
    public var modules: [PredictedModule]
    /// The MLE (tboot, or Xen under TrenchBoot) as the launch measures it,
    /// when the log has its MLE event.
    public var mle: PredictedMLE?
    /// Modules of the entry tboot drops before measuring (SINIT, LCP).
    public var droppedModules: [LoadedModuleImage]
    /// The PCRs AEM seals to (`SEAL` in anti-evil-maid.conf).
    public var sealPCRs: [UInt32]
    /// The current boot: the live values where known, else the replayed log.
    public var current: PCRValues
    /// The current boot's log, replayed.
    public var replayed: PCRValues
    public var predicted: PCRValues
    public var selfCheck: SelfCheck
    /// Things a user should know but that do not fail the check.
    public var warnings: [PredictionWarning]
    /// The command lines this boot ran with, as the running system shows them.
    public var booted: BootedCommandLines

    /// The command line GRUB will pass Xen: the multiboot kernel's under
    /// TrenchBoot (Xen is the MLE), the first module's under tboot.
    public var xenCommandLine: String? {
        flow.launcher == .trenchBoot
            ? GrubLoaderCommandLine.join(entry.kernelArguments) : modules.first { $0.role == .xen }?.commandLine
    }

    /// The command line GRUB will pass the dom0 kernel.
    public var dom0CommandLine: String? { modules.first { $0.role == .dom0Kernel }?.commandLine }

    /// Whether GRUB will pass Xen and dom0 the command lines this boot ran
    /// with. Where the flow measures command lines (tboot hashes each into
    /// its module's event) the module's evidence says it, the log first
    /// (Xen may append to dom0's, so `/proc/cmdline` is a last resort);
    /// under TrenchBoot the log holds none, and each is compared byte for
    /// byte with what the running system shows. Nil when nothing tells.
    public var commandLinesAsBooted: Bool? {
        func same(_ predicted: String?, _ booted: String?, _ role: ModuleRole) -> Bool? {
            guard flow.measuresModuleCommandLines else { return predicted.flatMap { p in booted.map { p == $0 } } }
            guard let module = modules.first(where: { $0.role == role }) else { return nil }
            switch module.commandLineChange.state {
            case .unchanged: return true
            case .changed: return false
            case .unknown: return nil
            }
        }
        let answers = [same(xenCommandLine, booted.xen, .xen), same(dom0CommandLine, booted.dom0, .dom0Kernel)]
        if answers.contains(false) { return false }
        return answers.contains(nil) ? nil : true
    }

    /// The transition seal `stage` makes for this prediction, or nil when
    /// every SEAL PCR is predictable.
    public var transitionSeal: TransitionSeal? {
        TransitionSeal(flow: flow, sealPCRs: sealPCRs, mlePCRs: mle?.pcrs ?? [])
    }

    /// PCRs whose predicted value differs from the current one, per bank.
    public var changedPCRs: [HashAlgorithm: [UInt32]] {
        var result = [HashAlgorithm: [UInt32]]()
        for bank in predicted.banks {
            let changed = predicted.pcrs(in: bank).filter { pcr in
                guard let now = current[bank, pcr] else { return false }
                return predicted[bank, pcr] != now
            }
            if !changed.isEmpty { result[bank] = changed }
        }
        return result
    }

    /// The sealed PCRs that will change, in the bank AEM seals in.
    public var changedSealedPCRs: [UInt32] {
        (changedPCRs[flow.sealBank] ?? []).filter(sealPCRs.contains)
    }
}
