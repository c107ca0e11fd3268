/// What a TrenchBoot event (type 0x502) measures, told from its data
/// string: Xen and AMD's secure kernel loader (SKL) name their events, and
/// the one for GRUB's multiboot2 information carries no data at all.
public enum SlaunchEventMeaning {
    private static let named: [(prefix: String, meaning: String)] = [
        ("Measured MB2 module", "Xen: a multiboot2 module, as GRUB loaded it"),
        ("Measured TXT OS-MLE data", "Xen: the TXT OS-MLE data GRUB passed"),
        ("DLME entry offset", "SKL: Xen's entry point"),
        ("DLME", "SKL: Xen, the dynamic launch measured environment"),
        ("SKINIT", "SKL: itself, as SKINIT measured it"),
    ]

    /// The meaning of a 0x502 event, nil for other types.
    public static func describe(_ event: MeasurementEvent) -> String? {
        guard event.type == .slaunchMeasurement else { return nil }
        if event.data.allSatisfy({ $0 == 0 }) {
            return event.pcr == 18 ? "Xen: GRUB's multiboot2 information (MBI)" : "Xen: an unnamed measurement"
        }
        for entry in named where event.data.starts(with: Array(entry.prefix.utf8)) { return entry.meaning }
        return nil
    }
}
