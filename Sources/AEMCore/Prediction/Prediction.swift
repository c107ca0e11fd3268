/// The PCR values the next boot will produce, and how they were obtained.
public struct Prediction: Sendable {
    public var flow: any BootFlow
    public var entry: GrubBootEntry
    public var modules: [PredictedModule]
    /// tboot as SINIT measures it, when the log has its MLE event (0x404).
    public var tboot: PredictedTboot?
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

    /// The transition seal `stage` makes for this prediction, or nil when
    /// every SEAL PCR is predictable.
    public var transitionSeal: TransitionSeal? {
        TransitionSeal(flow: flow, sealPCRs: sealPCRs, mlePCRs: tboot?.pcrs ?? [])
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
