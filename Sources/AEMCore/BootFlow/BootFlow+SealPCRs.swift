extension BootFlow {
    /// The dynamic PCRs (17-22) among `sealPCRs` this flow never extends.
    /// They stay all zero, and stock AEM's own sanity check refuses to seal
    /// to such a value: the one rule behind the prediction's warning, the
    /// checklist's `seal-pcrs` item and `stage`'s refusal.
    public func neverExtendedPCRs(in sealPCRs: [UInt32]) -> [UInt32] {
        sealPCRs.sorted().filter { EventLogReplay.dynamicPCRs.contains($0) && !extendedPCRs.contains($0) }
    }
}
