/// tboot with the details/authorities PCR mapping, which tboot always uses
/// with a TPM 2.0: the policy to PCR 17 and again to PCR 18, then every
/// module, Xen included, to PCR 17. PCR 19 is never extended.
public struct TbootDetailsAuthoritiesFlow: TbootFlow {
    public init() {}

    public var name: String { "tboot-da" }
    public var summary: String { "tboot, TPM 2.0, details/authorities PCR mapping (every module in PCR 17)" }
    public var sealBank: HashAlgorithm { .sha256 }
    public var tpmVersion: TPMVersion { .tpm20 }
    public var extendedPCRs: Set<UInt32> { [17, 18] }
    public var pcrExplanation: String {
        "With a TPM 2.0 tboot measures Xen, the dom0 kernel and the initramfs all into PCR 17, so an update changes "
            + "PCR 17, not PCR 18 and 19 as the Qubes bulletins (written for TPM 1.2) say."
    }

    public func modulePCR(index: Int) -> UInt32 { 17 }

    public func recognize(_ log: EventLog) -> LaunchMeasurementLayout? {
        let events = BootFlows.tbootEvents(in: log)
        guard events.count >= 2, events[0].pcr == 17, events[1].pcr == 18, events[0].digests == events[1].digests else {
            return nil
        }
        let modules = Array(events.dropFirst(2))
        guard modules.allSatisfy({ $0.pcr == 17 }) else { return nil }
        return LaunchMeasurementLayout(policyEvents: Array(events.prefix(2)), moduleEvents: modules)
    }
}
