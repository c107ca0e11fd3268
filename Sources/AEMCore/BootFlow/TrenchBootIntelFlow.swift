/// TrenchBoot on Intel TXT with a TPM 2.0 (GRUB's `slaunch`, details/
/// authorities mapping): Xen is the MLE, so SINIT measures Xen (event
/// 0x404, PCR 17); Xen then measures every multiboot2 module as GRUB loaded
/// it (decompressed, without its command line) into PCR 17, and GRUB's
/// multiboot2 information structure (MBI) and its TXT OS-MLE data into
/// PCR 18.
public struct TrenchBootIntelFlow: TrenchBootFlow {
    public init() {}

    public var name: String { "trenchboot-intel" }
    public var summary: String { "TrenchBoot, Intel TXT, TPM 2.0 (Xen is the MLE; modules in PCR 17, GRUB's boot information in PCR 18)" }
    public var pcrExplanation: String {
        "With TrenchBoot SINIT measures Xen itself, and Xen measures the dom0 kernel and initramfs, all into PCR 17; PCR 18 holds GRUB's boot information, which changes at every update."
    }

    public func recognize(_ log: EventLog) -> LaunchMeasurementLayout? {
        guard log.format == .tcg2 else { return nil }
        let events = BootFlows.xenEvents(in: log)
        let modules = events.filter(SlaunchEventMeaning.isModule)
        guard !events.isEmpty, log.events.contains(where: { $0.type == .txtMLEHash && $0.pcr == 17 }) else { return nil }
        return LaunchMeasurementLayout(policyEvents: events.filter { $0.pcr != 17 }, moduleEvents: modules)
    }
}
