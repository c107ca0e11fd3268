/// Whether `stage` has anything to seal: the sealed PCRs of the next boot
/// against what the active seal is sealed to. A set staged during this boot
/// is sealed to its prediction; otherwise the active set is stock AEM's,
/// sealed to this boot's values.
public enum StageDecision: Equatable, Sendable {
    /// The active seal already opens on the predicted boot.
    case nothingToSeal(reason: String)
    /// The set staged earlier in this boot is sealed to these values, but
    /// the AEM media does not hold it yet: copy it, seal nothing new.
    case copyStagedSet
    /// The next boot's sealed PCRs differ from what the active set is sealed to.
    case seal

    /// A set `stage` installed during the running boot.
    public struct StagedSet: Sendable {
        /// The values it is sealed to (seal bank, SEAL PCRs).
        public var sealedTo: PCRValues
        /// Whether its copy reached the AEM media.
        public var onMedia: Bool

        public init(sealedTo: PCRValues, onMedia: Bool) {
            self.sealedTo = sealedTo
            self.onMedia = onMedia
        }
    }

    /// - Parameters:
    ///   - stagedThisBoot: the set `stage` already installed in this boot, if any.
    ///   - bootInformationAsBooted: GRUB will build the next boot exactly
    ///     as this one (`ChainProvenance.bootInformationAsBooted`), so the
    ///     PCRs no file predicts are this boot's too.
    public static func decide(
        prediction: Prediction, sealPCRs: [UInt32], stagedThisBoot: StagedSet?, bootInformationAsBooted: Bool = false
    ) -> StageDecision {
        let bank = prediction.flow.sealBank
        if let staged = stagedThisBoot {
            let same = sealPCRs.allSatisfy {
                staged.sealedTo[bank, $0] != nil && staged.sealedTo[bank, $0] == prediction.predicted[bank, $0]
            }
            guard same else { return .seal }
            return staged.onMedia
                ? .nothingToSeal(reason: "the set staged earlier in this boot is already sealed to these values")
                : .copyStagedSet
        }
        // A SEAL PCR no file predicts (TrenchBoot's PCR 18 holds GRUB's boot
        // information, command lines included) may change without any
        // predictable one changing: the active seal cannot be shown to open,
        // unless GRUB will build the next boot exactly as this one.
        if prediction.transitionSeal != nil && !bootInformationAsBooted { return .seal }
        let unchanged = sealPCRs.allSatisfy {
            prediction.current[bank, $0] != nil && prediction.current[bank, $0] == prediction.predicted[bank, $0]
        }
        guard unchanged else { return .seal }
        return prediction.transitionSeal == nil
            ? .nothingToSeal(reason: "the next boot's sealed PCRs equal this boot's, so the current seal keeps working")
            : .nothingToSeal(
                reason: "the next boot loads the files this boot measured with GRUB's configuration unchanged since "
                    + "this boot began, so its sealed PCRs, those no file predicts included, equal this boot's: "
                    + "the current seal keeps working")
    }
}
