/// TrenchBoot on Intel TXT with a TPM 1.2: the log is a TXT event
/// container (SHA-1). GRUB asks for the details/authorities mapping and
/// falls back to the legacy one when the SINIT lacks it: SINIT's MLE
/// measurement of Xen then goes to PCR 18 instead of 17. Xen measures its
/// modules into PCR 17 and GRUB's boot information into PCR 18 either way.
public struct TrenchBootIntelTPM12Flow: TrenchBootFlow {
    public init() {}

    public var name: String { "trenchboot-intel-tpm12" }
    public var summary: String { "TrenchBoot, Intel TXT, TPM 1.2 (Xen is the MLE; modules in PCR 17, GRUB's boot information in PCR 18)" }
    public var sealBank: HashAlgorithm { .sha1 }
    public var tpmVersion: TPMVersion { .tpm12 }
    public var pcrExplanation: String {
        "With TrenchBoot Xen measures the dom0 kernel and initramfs into PCR 17 and SINIT measures Xen into PCR 17 (or 18 with the legacy mapping); PCR 18 holds GRUB's boot information, which changes at every update."
    }

    public func recognize(_ log: EventLog) -> LaunchMeasurementLayout? {
        guard log.format == .txt12 else { return nil }
        let events = BootFlows.xenEvents(in: log)
        guard !events.isEmpty, log.events.contains(where: { $0.type == .txtMLEHash && $0.affectsPCR }) else { return nil }
        return LaunchMeasurementLayout(policyEvents: events.filter { $0.pcr != 17 }, moduleEvents: events.filter(SlaunchEventMeaning.isModule))
    }
}
