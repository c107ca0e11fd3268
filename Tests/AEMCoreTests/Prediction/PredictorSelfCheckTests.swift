import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// The self-check's findings matched as data (`SelfCheckProblem` cases),
/// on the bundled example dom0 (`Examples/qubes-r4.2-tpm2`: its boot tree,
/// the DRTM log of its boot and the live PCRs of that boot), with no TPM
/// and no binary.
struct PredictorSelfCheckTests {
    static let example = Fixtures.project("Examples/qubes-r4.2-tpm2")
    static let otherLUKS = "11111111-2222-3333-4444-555555555555"

    static func livePCRs() throws -> PCRValues {
        try PCRValuesFile.parse(try FileBytes.read(example + "/current-boot/pcrs.yaml"))
    }

    static func predictor(live: PCRValues? = nil, evidence: BootEvidence = BootEvidence()) throws -> Predictor {
        let log = try EventLogDecoder.decode(try FileBytes.read(example + "/current-boot/drtm.log")).log
        let grub = try GrubConfiguration.load(
            GrubEvaluationSettings(
                bootDirectory: example + "/boot", configurationFile: example + "/boot/grub2/grub.cfg"))
        let entry = try grub.boot(try #require(grub.defaultEntry()))
        return Predictor(
            log: log, entry: entry, partition: try BootPartition(path: example + "/boot"),
            livePCRs: try live ?? livePCRs(), sealPCRs: [13, 17, 18], evidence: evidence)
    }

    @Test func theExampleBootReproducesItself() throws {
        let check = try Self.predictor().predict().selfCheck
        #expect(check.status == .ok)
        #expect(check.problems.isEmpty, "\(check.problems)")
    }

    /// A live PCR 17 the log does not reach: the log is not this boot's.
    @Test func aLiveValueTheLogDoesNotReachIsLogDoesNotReplay() throws {
        var live = try Self.livePCRs()
        let altered = HashAlgorithm.sha256.hash(Array("another boot".utf8))
        live[.sha256, 17] = altered
        let check = try Self.predictor(live: live).predict().selfCheck
        #expect(check.status == .mismatch)
        let found = check.problems.contains {
            if case let .logDoesNotReplay(pcr, liveValue, replayed, events) = $0 {
                return pcr == 17 && liveValue == altered && replayed != altered && !events.isEmpty
            }
            return false
        }
        #expect(found, "\(check.problems)")
    }

    /// tboot printed another command line for the kernel than GRUB passes,
    /// though the kernel reproduces its logged measurement.
    @Test func aCommandLineOtherThanTbootPrintedIsReported() throws {
        let printed = "placeholder root=/dev/mapper/elsewhere"
        let evidence = BootEvidence(tbootCommandLines: ["", printed, ""])
        let check = try Self.predictor(evidence: evidence).predict().selfCheck
        let found = check.problems.contains {
            if case let .commandLineDisagreesWithTboot(module, seen, computed, reproducesLog) = $0 {
                return module.role == .dom0Kernel && seen == printed && computed.contains("rd.luks.uuid=")
                    && reproducesLog
            }
            return false
        }
        #expect(found, "\(check.problems)")
    }

    /// The running kernel unlocked another LUKS device than the next
    /// boot's command line names: PCR 13 (carried over) would differ.
    @Test func anotherLUKSDeviceIsLuksDevicesChanged() throws {
        let running = try String(decoding: FileBytes.read(Self.example + "/proc/cmdline"), as: UTF8.self)
            .replacingOccurrences(of: "dd2f3c1c-3c38-5e59-0ff0-663489c7a96a", with: Self.otherLUKS)
        let check = try Self.predictor(evidence: BootEvidence(booted: BootedCommandLines(xen: nil, dom0: running)))
            .predict().selfCheck
        let found = check.problems.contains {
            if case let .luksDevicesChanged(before, after) = $0 {
                return before.contains { $0.contains(Self.otherLUKS) }
                    && after.contains { $0.contains("dd2f3c1c-3c38-5e59-0ff0-663489c7a96a") }
            }
            return false
        }
        #expect(found, "\(check.problems)")
        #expect(check.problems.allSatisfy { $0.pcr == 13 || $0.pcr == nil })
    }
}
