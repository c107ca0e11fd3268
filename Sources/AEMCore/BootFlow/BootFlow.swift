/// A model of how a measured-launch boot chain extends the DRTM PCRs.
///
/// Each flow says where tboot puts its policy and module measurements, so
/// that the prediction knows which log events to recompute. New flows
/// (TrenchBoot) are new conforming types; nothing else changes.
public protocol BootFlow: Sendable {
    /// The flow's name in output and JSON (`tboot-legacy`, `tboot-da`).
    var name: String { get }
    /// One line for humans: the TPM and PCR mapping.
    var summary: String { get }
    /// The bank stock AEM seals in for this flow's TPM.
    var sealBank: HashAlgorithm { get }
    /// The TPM the flow implies.
    var tpmVersion: TPMVersion { get }
    /// Every PCR the flow ever extends.
    var extendedPCRs: Set<UInt32> { get }
    /// The PCR a module's measurement goes to.
    func modulePCR(index: Int) -> UInt32
    /// Explains which PCRs a module change moves, for users who read the
    /// security bulletins' "PCR 18 and 19 will change".
    var pcrExplanation: String { get }

    /// Splits tboot's events (type 0x501, in log order) into policy and
    /// module measurements when they follow this flow, else nil.
    func recognize(_ tbootEvents: [MeasurementEvent]) -> TbootMeasurementLayout?
}

/// tboot's events of one boot, as a flow recognized them.
public struct TbootMeasurementLayout: Sendable {
    public var policyEvents: [MeasurementEvent]
    /// One per measured module, in module order.
    public var moduleEvents: [MeasurementEvent]
}

/// The TPM generation, as AEM tells them apart.
public enum TPMVersion: String, Sendable, Codable {
    case tpm12 = "1.2"
    case tpm20 = "2.0"
}

/// The known flows, and detection from a log.
public enum BootFlows {
    public static let all: [any BootFlow] = [TbootDetailsAuthoritiesFlow(), TbootLegacyFlow()]

    /// tboot's own events: type 0x501 on PCRs 17-19 (an NV index it
    /// measures for geo-tagging goes to PCR 22 and is carried over as is).
    public static func tbootEvents(in log: EventLog) -> [MeasurementEvent] {
        log.events.filter { $0.type == .tbootMeasurement && (17...19).contains($0.pcr) }
    }

    /// Finds the flow the log's tboot events follow.
    public static func detect(in log: EventLog) -> (flow: any BootFlow, layout: TbootMeasurementLayout)? {
        let events = tbootEvents(in: log)
        for flow in all {
            if let layout = flow.recognize(events) { return (flow, layout) }
        }
        return nil
    }

    public static func named(_ name: String) -> (any BootFlow)? {
        all.first { $0.name == name }
    }
}
