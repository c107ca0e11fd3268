/// The known flows, and detection from a log.
public enum BootFlows {
    public static let all: [any BootFlow] = [
        TbootDetailsAuthoritiesFlow(), TbootLegacyFlow(), TrenchBootIntelFlow(), TrenchBootIntelFlow(tpm: .tpm12),
        TrenchBootAMDFlow(),
        TrenchBootAMDFlow(tpm: .tpm12),
    ]

    /// Xen's own events under TrenchBoot: type 0x502.
    public static func xenEvents(in log: EventLog) -> [MeasurementEvent] {
        log.events.filter { $0.type == .slaunchMeasurement && $0.affectsPCR }
    }

    /// tboot's own events: type 0x501 on PCRs 17-19 (an NV index it
    /// measures for geo-tagging goes to PCR 22 and is carried over as is).
    public static func tbootEvents(in log: EventLog) -> [MeasurementEvent] {
        log.events.filter { $0.type == .tbootMeasurement && (17...19).contains($0.pcr) }
    }

    /// Finds the flow the log's tboot events follow.
    public static func detect(in log: EventLog) -> (flow: any BootFlow, layout: LaunchMeasurementLayout)? {
        for flow in all {
            if let layout = flow.recognize(log) { return (flow, layout) }
        }
        return nil
    }

    public static func named(_ name: String) -> (any BootFlow)? {
        all.first { $0.name == name }
    }
}
