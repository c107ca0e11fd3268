import AEMCycle

/// The one mapping from failures to exit statuses: every `CycleError` case
/// has exactly one row of the table (`ExitStatus`). The switch has no
/// default, so a new kind of failure does not compile until it has its row;
/// errors ArgumentParser raises for the options themselves keep its own
/// statuses (64 for a usage error).
extension ExitStatus {
    init(for error: CycleError) {
        switch error {
        case .badInput, .unreadable: self = .badInput
        case .checkFailed: self = .mismatch
        case let .refused(refusal, _):
            switch refusal {
            // A self-check that could not run lacks an input; one that ran found a mismatch.
            case let .selfCheck(status): self = status == .mismatch ? .mismatch : .badInput
            case .transitionMissesMLE: self = .mismatch
            // SEAL names a PCR the prediction has no value (or no usable value) for: the set-up's.
            case .noPredictedValue, .unacceptableValue: self = .badInput
            }
        case .tpm: self = .tpmFailure
        case .logDoesNotFitTPM: self = .unsupported
        case .needsUser: self = .needsUser
        case .declined: self = .declined
        case .notOnMedia: self = .notOnMedia
        case .writeFailed: self = .systemFailure
        case .busy: self = .busy
        }
    }
}
