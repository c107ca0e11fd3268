/// TrenchBoot on Intel TXT (GRUB's `slaunch`): Xen is the MLE, so SINIT
/// measures Xen (event 0x404: PCR 17 with the details/authorities mapping
/// GRUB asks for, 18 with the legacy one a TPM 1.2 SINIT may fall back
/// to); Xen then measures every multiboot2 module as GRUB loaded it
/// (decompressed, without its command line) into PCR 17, and GRUB's
/// multiboot2 information structure (MBI) and its TXT OS-MLE data into
/// PCR 18. With a TPM 2.0 the log is crypto-agile; with a TPM 1.2 a TXT
/// event container (SHA-1).
public struct TrenchBootIntelFlow: TrenchBootFlow {
    public var tpmVersion: TPMVersion

    public init(tpm: TPMVersion = .tpm20) {
        tpmVersion = tpm
    }

    public var name: String { tpmVersion == .tpm20 ? "trenchboot-intel" : "trenchboot-intel-tpm12" }
    public var summary: String {
        "TrenchBoot, Intel TXT, TPM \(tpmVersion.rawValue) (Xen is the MLE; modules in PCR 17, GRUB's "
            + "boot information in PCR 18)"
    }
    public var pcrExplanation: String {
        "With TrenchBoot SINIT measures Xen itself, and Xen measures the dom0 kernel and initramfs, all into PCR 17; "
            + "PCR 18 holds GRUB's boot information, which changes at every update."
    }

    public func recognize(_ log: EventLog) -> LaunchMeasurementLayout? {
        guard log.format == (tpmVersion == .tpm20 ? .tcg2 : .txt12) else { return nil }
        let events = BootFlows.xenEvents(in: log)
        guard !events.isEmpty, log.events.contains(where: { $0.type == .txtMLEHash && $0.affectsPCR }) else {
            return nil
        }
        return LaunchMeasurementLayout(
            policyEvents: events.filter { $0.pcr != 17 }, moduleEvents: events.filter(SlaunchEventMeaning.isModule))
    }
}
