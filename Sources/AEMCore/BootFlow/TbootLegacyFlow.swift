/// tboot with the legacy PCR mapping (TPM 1.2): the policy to PCR 17, Xen
/// (module 0) to PCR 18, every other module to PCR 19, all in SHA-1.
public struct TbootLegacyFlow: TbootFlow {
    public init() {}

    public var name: String { "tboot-legacy" }
    public var summary: String {
        "tboot, TPM 1.2, legacy PCR mapping (Xen in PCR 18, dom0 kernel and initramfs in PCR 19)"
    }
    public var sealBank: HashAlgorithm { .sha1 }
    public var tpmVersion: TPMVersion { .tpm12 }
    public var extendedPCRs: Set<UInt32> { [17, 18, 19] }
    public var pcrExplanation: String {
        "With a TPM 1.2 tboot measures Xen into PCR 18 and the dom0 kernel and initramfs into PCR 19, as the "
            + "Qubes bulletins describe."
    }

    public func modulePCR(index: Int) -> UInt32 { index == 0 ? 18 : 19 }

    public func recognize(_ log: EventLog) -> LaunchMeasurementLayout? {
        let events = BootFlows.tbootEvents(in: log)
        guard events.count >= 2, events[0].pcr == 17, events[1].pcr == 18 else { return nil }
        // In the DA mapping the second event is the policy again, with the same digest.
        guard events[0].digests != events[1].digests else { return nil }
        let modules = Array(events.dropFirst())
        for (index, event) in modules.enumerated() where event.pcr != modulePCR(index: index) { return nil }
        return LaunchMeasurementLayout(policyEvents: [events[0]], moduleEvents: modules)
    }
}
