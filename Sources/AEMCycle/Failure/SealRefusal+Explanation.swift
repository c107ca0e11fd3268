import AEMCore

extension SealRefusal {
    /// The refusal as `stage` reports it; nothing was sealed in any case.
    public func explanation(aemConfiguration: String) -> String {
        switch self {
        case let .selfCheck(status):
            return "the prediction's self-check is \(status.rawValue): nothing was sealed. Fix the cause above, "
                + "or use --force to seal to an unproven prediction."
        case let .transitionMissesMLE(transition, mlePCRs):
            let mle = mlePCRs.isEmpty ? "18" : mlePCRs.map(String.init).joined(separator: ", ")
            return "a transition seal to PCR \(transition.sealedPCRs.map(String.init).joined(separator: ", ")) would "
                + "not cover Xen: with the legacy PCR mapping SINIT measures Xen into PCR \(mle), which cannot be "
                + "predicted. Nothing was sealed: reboot, check the chain by other means, then "
                + "let AEM reseal as usual."
        case let .noPredictedValue(pcr, bank):
            return "no predicted \(bank) value for PCR \(pcr) (SEAL includes it): read the live PCRs from the TPM "
                + "or --pcrs-file so that PCRs outside the launch can be carried over"
        case let .unacceptableValue(pcr, value, neverExtended):
            return "PCR \(pcr) is predicted \(value.isAllZero ? "all zero" : "all ff") in the \(value.algorithm) bank: "
                + (neverExtended ? "the boot flow never extends it" : "it would not be extended")
                + ", and AEM's own sanity check refuses such a seal. Remove \"--pcr \(pcr)\" from "
                + "\(aemConfiguration) or fix the boot chain."
        }
    }
}
