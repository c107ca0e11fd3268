/// What `stage` can seal to when the flow extends a PCR of `SEAL` with a
/// value no file predicts (TrenchBoot's PCR 18): the other PCRs only, for
/// the one boot into the new chain. Stock AEM's unseal reads the PCR list
/// from `key.pcrs`, so it opens such a set unchanged, and its seal service
/// reseals to the full `SEAL` list during that boot, as at every boot.
public struct TransitionSeal: Sendable, Equatable {
    /// The PCRs sealed to.
    public var sealedPCRs: [UInt32]
    /// The `SEAL` PCRs left out, with why each cannot be predicted.
    public var leftOut: [(pcr: UInt32, reason: String)]
    /// Whether the sealed PCRs hold the MLE's measurement (Xen). Not so
    /// with the legacy mapping, where SINIT measures Xen into PCR 18: such
    /// a seal would not cover Xen, and `stage` refuses it.
    public var coversMLE: Bool

    /// Nil when every `SEAL` PCR is predictable (an ordinary seal).
    /// - Parameter mlePCRs: the PCRs the log's MLE measurement extends.
    public init?(flow: any BootFlow, sealPCRs: [UInt32], mlePCRs: Set<UInt32> = []) {
        let leftOut = sealPCRs.compactMap { pcr in flow.unpredictablePCRs[pcr].map { (pcr: pcr, reason: $0) } }
        guard !leftOut.isEmpty else { return nil }
        self.leftOut = leftOut
        sealedPCRs = sealPCRs.filter { flow.unpredictablePCRs[$0] == nil }
        coversMLE = mlePCRs.allSatisfy(sealedPCRs.contains)
    }

    /// The weakening, for the user to accept: what the left-out PCRs
    /// cover and the seal does not, for that one boot.
    public var weakening: String {
        let pcrs = leftOut.map { String($0.pcr) }.joined(separator: ", ")
        return "PCR \(pcrs) cannot be predicted (\(leftOut.map(\.reason).joined(separator: "; "))). "
            + "The seal for the next boot therefore covers PCR "
            + "\(sealedPCRs.map(String.init).joined(separator: ", ")) only: "
            + "for that one boot the Xen and dom0 command lines and GRUB's memory layout are not covered (Xen, dom0 "
            + "kernel, initramfs and the LUKS header are). "
            + "At that boot stock AEM reseals to the full SEAL list again, as it does at every boot."
    }

    public static func == (lhs: TransitionSeal, rhs: TransitionSeal) -> Bool {
        lhs.sealedPCRs == rhs.sealedPCRs && lhs.leftOut.map(\.pcr) == rhs.leftOut.map(\.pcr)
            && lhs.coversMLE == rhs.coversMLE
    }
}
