import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// `predict` against a real TPM: a chain is "booted" on swtpm the way SINIT
/// and tboot would (measurements computed independently, with Python), the
/// boot files are updated, `predict` runs, then the new chain is booted and
/// its PCRs must equal the prediction bit for bit.
@Suite(.serialized) struct PredictScenarioTests {
    enum Change: String, CaseIterable, Sendable {
        case nothing, xen, xenCommandLine, kernel, initramfs
    }

    struct Outcome {
        var json: [String: Any]
        var status: Int32
        var live: [String: [String: String]]
    }

    static let cases: [(SimulatedChain.Flow, Change)] = [SimulatedChain.Flow.detailsAuthorities, .legacy].flatMap {
        flow in
        Change.allCases.map { (flow, $0) }
    }

    /// Boots the old chain, applies the change, predicts, boots the new chain.
    func run(flow: SimulatedChain.Flow, change: Change) throws -> Outcome {
        let tree = try BootTree(
            seal: flow == .legacy ? "--pcr 13 --pcr 17 --pcr 18 --pcr 19" : "--pcr 13 --pcr 17 --pcr 18")
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel("6.6.21-1.qubes.fc37.x86_64", seed: 10)
        try tree.writeGrubConfiguration()
        var xen = "4.17.3"
        var kernel = "6.6.21-1.qubes.fc37.x86_64"

        let tpm = try SoftwareTPM()
        let log = try BootSimulator.boot(tree.chain(flow: flow, xen: xen, kernel: kernel), on: tpm)
        let logPath = try tree.directory.write("current-boot.log", log)

        // Installed files keep old times, as rpm leaves them.
        switch change {
        case .nothing:
            break
        case .xen:
            xen = "4.17.4"
            try tree.installXen(xen, seed: 2)
            try tree.writeGrubConfiguration()
        case .xenCommandLine:
            tree.xenCommandLine += " sched-gran=core"
            try tree.writeGrubConfiguration()
        case .kernel:
            kernel = "6.6.22-1.qubes.fc37.x86_64"
            try tree.installKernel(kernel, seed: 20)
            try tree.writeGrubConfiguration()
        case .initramfs:
            try tree.rebuildInitramfs(kernel, seed: 30)
        }

        let result = try CLI.run(["predict", "--root", tree.root, "--tcti", tpm.tcti, "--event-log", logPath, "--json"])
        let json = try result.json()

        try tpm.powerCycle()
        _ = try BootSimulator.boot(tree.chain(flow: flow, xen: xen, kernel: kernel), on: tpm)
        let live = try tpm.connect().readPCRs(banks: [.sha1, .sha256], pcrs: [13, 17, 18, 19])
        var liveHex = [String: [String: String]]()
        for bank in live.banks {
            for pcr in live.pcrs(in: bank) { liveHex[bank.rawValue, default: [:]][String(pcr)] = live[bank, pcr]!.hex }
        }
        return Outcome(json: json, status: result.status, live: liveHex)
    }

    @Test(arguments: cases)
    func predictionMatchesTheNextBoot(flow: SimulatedChain.Flow, change: Change) throws {
        let outcome = try run(flow: flow, change: change)
        #expect(outcome.status == 0)
        #expect(outcome.json["flow"] as? String == flow.rawValue)
        let selfCheck = try #require(outcome.json["selfCheck"] as? [String: Any])
        #expect(selfCheck["status"] as? String == "ok", "problems: \(selfCheck["problems"] ?? [])")

        let pcrs = try #require(outcome.json["pcrs"] as? [String: [String: [String: Any]]])
        let banks = flow == .detailsAuthorities ? ["sha1", "sha256"] : ["sha1"]
        for bank in banks {
            for pcr in ["13", "17", "18", "19"] {
                let predicted = pcrs[bank]?[pcr]?["predicted"] as? String
                #expect(
                    predicted != nil && predicted == outcome.live[bank]?[pcr], "\(flow) \(change) \(bank) PCR \(pcr)")
            }
        }

        // Which sealed PCRs move, in the bank AEM seals in.
        let changed = (outcome.json["changed"] as? [String: [Int]]) ?? [:]
        let sealBank = flow == .detailsAuthorities ? "sha256" : "sha1"
        let expected: [Int]
        switch (flow, change) {
        case (_, .nothing): expected = []
        case (.detailsAuthorities, _): expected = [17]
        case (.legacy, .xen), (.legacy, .xenCommandLine): expected = [18]
        case (.legacy, _): expected = [19]
        }
        #expect((changed[sealBank] ?? []).filter { $0 <= 19 } == expected, "\(flow) \(change)")

        let modules = try #require(outcome.json["modules"] as? [[String: Any]])
        #expect(modules.count == 3)
        #expect(modules.map { $0["loaded"] as? String } == ["gzip", "raw", "gzip"])
    }

    /// A wrong assumption (here: tboot got the initramfs as stored, as with
    /// `--nounzip`, while the configuration says GRUB unpacks it) must fail
    /// the self-check and name the module. The boot record, made during the
    /// boot as the record unit does, is the evidence that the initramfs is
    /// the file that was booted.
    @Test(arguments: [SimulatedChain.Flow.detailsAuthorities, .legacy])
    func wrongDecompressionAssumptionIsCaught(flow: SimulatedChain.Flow) throws {
        let tree = try BootTree()
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel("6.6.21", seed: 10)
        try tree.writeGrubConfiguration()
        let tpm = try SoftwareTPM()
        let log = try BootSimulator.boot(
            tree.chain(flow: flow, xen: "4.17.3", kernel: "6.6.21", initramfsLoaded: "raw"), on: tpm)
        let logPath = try tree.directory.write("current-boot.log", log)
        try tree.startBootAfterItsFiles()
        let record = try CLI.run(["record", "--root", tree.root, "--tcti", tpm.tcti, "--event-log", logPath])
        #expect(record.status == 0, "\(record.stderr)")
        #expect(record.stderr.contains("/initramfs-6.6.21.img do(es) NOT reproduce"), "\(record.stderr)")
        #expect(record.stderr.contains("the model does not fit them"))

        let result = try CLI.run(["predict", "--root", tree.root, "--tcti", tpm.tcti, "--event-log", logPath, "--json"])
        #expect(result.status == 1, "\(result.stderr)")
        let selfCheck = try #require(try result.json()["selfCheck"] as? [String: Any])
        #expect(selfCheck["status"] as? String == "mismatch")
        let problems = try #require(selfCheck["problems"] as? [[String: Any]])
        #expect(problems.count >= 1)
        #expect((problems.first?["component"] as? String)?.contains("initramfs /initramfs-6.6.21.img") == true)

        let human = try CLI.run(["predict", "--root", tree.root, "--tcti", tpm.tcti, "--event-log", logPath])
        #expect(human.status == 1)
        #expect(human.stdout.contains("MISMATCH"))
        #expect(human.stdout.contains("initramfs /initramfs-6.6.21.img"))
    }
}
