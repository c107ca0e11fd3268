/// TrenchBoot on AMD with a TPM 2.0: GRUB's `slaunch` runs SKINIT on the
/// secure kernel loader (SKL, the `slaunch_module`), which logs itself
/// ("SKINIT"), Xen's entry point ("DLME entry offset") and Xen ("DLME",
/// the same bytes as Intel's MLE) into PCR 17; Xen then measures its
/// modules into PCR 17 and GRUB's boot information into PCR 18. With a TPM
/// 2.0 the SKL logs SHA-1 and SHA-256 in a crypto-agile log; with a TPM 1.2
/// a TCG 1.2 log whose "Spec ID Event00" carries a TXT container header.
public struct TrenchBootAMDFlow: TrenchBootFlow {
    public var tpmVersion: TPMVersion

    public init(tpm: TPMVersion = .tpm20) {
        tpmVersion = tpm
    }

    public var name: String { tpmVersion == .tpm20 ? "trenchboot-amd" : "trenchboot-amd-tpm12" }
    public var summary: String {
        "TrenchBoot, AMD SKINIT with the SKL, TPM \(tpmVersion.rawValue) (Xen as the DLME and the modules in PCR 17, "
            + "GRUB's boot information in PCR 18)"
    }
    public var pcrExplanation: String {
        "With TrenchBoot on AMD the SKL measures Xen, and Xen measures the dom0 kernel and initramfs, all into PCR "
            + "17; PCR 18 holds GRUB's boot information, which changes at every update."
    }

    public func recognize(_ log: EventLog) -> LaunchMeasurementLayout? {
        guard log.format == (tpmVersion == .tpm20 ? .tcg2 : .tcg1) else { return nil }
        let events = BootFlows.xenEvents(in: log)
        guard events.contains(where: { $0.pcr == 17 && SlaunchEventMeaning.label($0) == "SKINIT" }) else { return nil }
        let skl = Set(["SKINIT", "DLME entry offset", "DLME"])
        return LaunchMeasurementLayout(
            policyEvents: events.filter {
                !SlaunchEventMeaning.isModule($0) && !skl.contains(SlaunchEventMeaning.label($0))
            },
            moduleEvents: events.filter(SlaunchEventMeaning.isModule))
    }

    public func mleEvents(in log: EventLog) -> [MeasurementEvent] {
        BootFlows.xenEvents(in: log).filter { $0.pcr == 17 && SlaunchEventMeaning.label($0) == "DLME" }
    }

    public func mleEntryEvents(in log: EventLog) -> [MeasurementEvent] {
        BootFlows.xenEvents(in: log).filter { $0.pcr == 17 && SlaunchEventMeaning.label($0) == "DLME entry offset" }
    }
}
