/// Whether `stage` has anything to seal: the sealed PCRs of the next boot
/// against what the active seal is sealed to. A set staged during this boot
/// is sealed to its prediction; otherwise the active set is stock AEM's,
/// sealed to this boot's values.
public enum StageDecision: Equatable, Sendable {
    /// The active seal already opens on the predicted boot.
    case nothingToSeal(reason: String)
    /// The next boot's sealed PCRs differ from what the active set is sealed to.
    case seal

    /// - Parameters:
    ///   - stagedThisBoot: the values a set staged during this boot is sealed
    ///     to (seal bank, SEAL PCRs), if `stage` already ran in this boot.
    public static func decide(prediction: Prediction, sealPCRs: [UInt32], stagedThisBoot: PCRValues?) -> StageDecision {
        let bank = prediction.flow.sealBank
        if let staged = stagedThisBoot {
            let same = sealPCRs.allSatisfy { staged[bank, $0] != nil && staged[bank, $0] == prediction.predicted[bank, $0] }
            return same
                ? .nothingToSeal(reason: "the set staged earlier in this boot is already sealed to these values")
                : .seal
        }
        let unchanged = sealPCRs.allSatisfy { prediction.current[bank, $0] != nil && prediction.current[bank, $0] == prediction.predicted[bank, $0] }
        return unchanged
            ? .nothingToSeal(reason: "the next boot's sealed PCRs equal this boot's, so the current seal keeps working")
            : .seal
    }
}
