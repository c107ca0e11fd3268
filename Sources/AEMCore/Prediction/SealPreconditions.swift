/// The rules a prediction must pass before anything is sealed to it, and
/// what they allow: the PCRs to seal to and, under TrenchBoot, the
/// transition seal. `stage` makes one before it touches the TPM; the
/// refusal (`SealRefusal`) carries the values, `AEMCycle` the words.
public struct SealPreconditions: Sendable, Equatable {
    /// The PCRs the new seal is made to: `SEAL`, or the transition seal's.
    public var sealPCRs: [UInt32]
    /// The transition seal, when the flow extends a `SEAL` PCR no file predicts.
    public var transition: TransitionSeal?
    /// The self-check status `--force` overrode, when it did.
    public var overriddenSelfCheck: SelfCheck.Status?

    /// Checks, in order: the self-check (`.mismatch` and `.unavailable`
    /// only with `force`), that a transition seal covers the MLE, and that
    /// every PCR sealed to has a predicted value AEM would accept (not all
    /// zero, not all ones: stock AEM refuses to seal to those).
    public init(prediction: Prediction, force: Bool) throws(SealRefusal) {
        switch prediction.selfCheck.status {
        case .ok, .unconfirmed:
            overriddenSelfCheck = nil
        case .mismatch, .unavailable:
            guard force else { throw .selfCheck(prediction.selfCheck.status) }
            overriddenSelfCheck = prediction.selfCheck.status
        }

        transition = prediction.transitionSeal
        if let transition, !transition.coversMLE {
            throw .transitionMissesMLE(transition, mlePCRs: prediction.mle?.pcrs.sorted() ?? [])
        }
        sealPCRs = transition?.sealedPCRs ?? prediction.sealPCRs

        let bank = prediction.flow.sealBank
        for pcr in sealPCRs {
            guard let value = prediction.predicted[bank, pcr] else { throw .noPredictedValue(pcr: pcr, bank: bank) }
            if value.isAllZero || value.isAllOnes {
                throw .unacceptableValue(
                    pcr: pcr, value: value, neverExtended: !prediction.flow.neverExtendedPCRs(in: [pcr]).isEmpty)
            }
        }
    }
}

/// Why `SealPreconditions` refuses to seal to a prediction.
public enum SealRefusal: Error, Sendable, Equatable {
    /// The self-check is `.mismatch` or `.unavailable` and `--force` was not given.
    case selfCheck(SelfCheck.Status)
    /// With the legacy mapping SINIT measures the MLE (Xen) into `mlePCRs`,
    /// which the transition seal leaves out: it would not cover Xen.
    case transitionMissesMLE(TransitionSeal, mlePCRs: [UInt32])
    /// No predicted value for a sealed PCR in the seal bank (PCRs outside
    /// the launch are carried over from the live PCRs, which were not read).
    case noPredictedValue(pcr: UInt32, bank: HashAlgorithm)
    /// The predicted value is all zero or all ones, which stock AEM refuses
    /// to seal to; `neverExtended` when the flow never extends the PCR.
    case unacceptableValue(pcr: UInt32, value: Digest, neverExtended: Bool)
}
