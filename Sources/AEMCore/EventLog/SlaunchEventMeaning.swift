/// What a TrenchBoot event (type 0x502) measures, told from its data
/// string: Xen and AMD's secure kernel loader (SKL) name their events
/// (Xen's legacy and EFI paths name modules differently), and the one for
/// GRUB's multiboot2 information carries no data at all.
public enum SlaunchEventMeaning {
    static let names: [String: String] = [
        "Measured MB2 module": "Xen: a multiboot2 module, as GRUB loaded it",
        "MB module": "Xen: a multiboot2 module, as GRUB loaded it",
        "MB module string": "Xen: a module's string (its command line)",
        "Xen's command line": "Xen: its command line",
        "Measured TXT OS-MLE data": "Xen: the TXT OS-MLE data GRUB passed",
        "SKINIT": "SKL: itself, as SKINIT measured it",
        "DLME entry offset": "SKL: Xen's entry point",
        "DLME": "SKL: Xen, the dynamic launch measured environment",
    ]

    /// The event's data as text, without the NUL terminator Xen may add.
    public static func label(_ event: MeasurementEvent) -> String {
        var data = event.data
        while data.last == 0 { data.removeLast() }
        return String(decoding: data, as: UTF8.self)
    }

    /// The meaning of a 0x502 event, nil for other types.
    public static func describe(_ event: MeasurementEvent) -> String? {
        guard event.type == .slaunchMeasurement else { return nil }
        let label = label(event)
        if label.isEmpty {
            return event.pcr == 18 ? "Xen: GRUB's multiboot2 information (MBI)" : "Xen: an unnamed measurement"
        }
        return names[label]
    }

    /// Whether the event is Xen's measurement of a multiboot2 module.
    static func isModule(_ event: MeasurementEvent) -> Bool {
        event.type == .slaunchMeasurement && event.pcr == 17
            && ["Measured MB2 module", "MB module"].contains(label(event))
    }
}
