import AEMCore
import AEMCycle

/// The system's facts as `LiveSystemFacts` reads them, counting each read,
/// so that a test can see that a run reads each fact once.
final class CountingFacts: SystemFacts {
    private let live = LiveSystemFacts()
    private(set) var reads: [String: Int] = [:]

    func bootTime(_ layout: SystemLayout) throws(CycleError) -> Int64? {
        reads["bootTime", default: 0] += 1
        return try live.bootTime(layout)
    }

    func detectedTPMVersion(_ layout: SystemLayout) throws(CycleError) -> TPMVersion? {
        reads["tpmVersion", default: 0] += 1
        return try live.detectedTPMVersion(layout)
    }

    func resealState(_ layout: SystemLayout) throws(CycleError) -> ResealState? {
        reads["state", default: 0] += 1
        return try live.resealState(layout)
    }

    func aemConfiguration(_ layout: SystemLayout) throws(CycleError) -> AEMConfiguration? {
        reads["aemConfiguration", default: 0] += 1
        return try live.aemConfiguration(layout)
    }
}
