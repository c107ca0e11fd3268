import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// TrenchBoot on Intel TXT with a TPM 2.0, against swtpm: the predicted
/// PCR 17 equals what the simulated next boot extends (the TPM is the
/// judge; Xen's MLE digest comes from lcp2_mlehash, the modules from
/// Python), PCR 18 is said to be unpredictable, and the transition seal
/// (PCR 13 and 17) opens with AEM's tpm2-tools commands on the new boot (Qubes' scripts
/// judge it in GenuineAEMTrenchBootTests).
@Suite(.serialized) struct TrenchBootTests {
    static let kernel = "6.6.21"

    struct World: @unchecked Sendable {
        var tree: BootTree
        var tpm: SoftwareTPM
        var log: String
        var vendor: SimulatedTrenchBootChain.Vendor = .intel

        func run(_ command: String, _ extra: [String] = []) throws -> CLI.Result {
            try CLI.run([command, "--root", tree.root, "--tcti", tpm.tcti, "--event-log", log] + extra)
        }

        /// Power cycle and boot `xen` and `kernel` through TrenchBoot.
        func reboot(xen: String, kernel: String = TrenchBootTests.kernel, mbiSeed: UInt8) throws {
            try tpm.powerCycle()
            try tree.startBoot()
            _ = try TrenchBootSimulator.boot(
                tree.trenchBootChain(xen: xen, kernel: kernel, mbiSeed: mbiSeed, vendor: vendor), on: tpm)
        }

        /// PCR values read with tpm2_pcrread.
        func livePCR(_ bank: String, _ pcr: UInt32) throws -> String {
            let yaml = try tpm.tool("tpm2_pcrread", ["\(bank):\(pcr)"])
            let line = try #require(
                yaml.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("\(pcr):") })
            return String(line.split(separator: ":").last!.trimmingCharacters(in: .whitespaces).dropFirst(2))
                .lowercased()
        }
    }

    /// Booted Xen 4.17.3 and dom0 6.6.21 through TrenchBoot, with stock
    /// AEM's seal (13, 17, 18) on disk and media; `recorded`: the record
    /// unit ran at that boot, as at every AEM boot.
    static func booted(vendor: SimulatedTrenchBootChain.Vendor = .intel, recorded: Bool = true) throws -> World {
        let tree = try BootTree()
        try tree.installTrenchBootXen("4.17.3", seed: 1)
        try tree.installKernel(kernel, seed: 10)
        if vendor == .amd { try tree.directory.write("boot/skl.bin", testBytes(8192, seed: 66)) }
        tree.trenchBootLaunchModule = vendor == .amd ? "/skl.bin" : "/GM45_GS45_PM45_SINIT_51.BIN"
        try tree.writeTrenchBootGrubConfiguration(xen: "4.17.3", kernel: kernel)
        // grub2-mkconfig wrote it during an earlier proven boot (a transition seal needs that).
        try tree.enterInWrittenFilesLedger(["grub2/grub.cfg"])
        try tree.installAEM(srkPassword: "pw")
        try tree.showRunningCommandLines()
        let tpm = try SoftwareTPM()
        try TPM2ToolsSeal.provisionSRK(on: tpm, password: "pw")
        let log = try tree.directory.write(
            "drtm.log",
            try TrenchBootSimulator.boot(
                tree.trenchBootChain(xen: "4.17.3", kernel: kernel, mbiSeed: 1, vendor: vendor), on: tpm))
        if recorded { try tree.recordBoot(["--tcti", tpm.tcti, "--event-log", log]) }
        try TPM2ToolsSeal.seal(
            on: tpm, plaintext: tree.plaintextSecrets, sealed: tree.sealedSet, pcrs: [13, 17, 18], srkPassword: "pw")
        try tree.copySealedSetToMedia()
        return World(tree: tree, tpm: tpm, log: log, vendor: vendor)
    }

    enum Update: String, CaseIterable, Sendable {
        case xen, kernel, initramfs

        /// Applies the update; returns the (xen, kernel) the entry now boots.
        func apply(to tree: BootTree) throws -> (String, String) {
            switch self {
            case .xen:
                try tree.installTrenchBootXen("4.17.4", seed: 2)
                try tree.writeTrenchBootGrubConfiguration(xen: "4.17.4", kernel: TrenchBootTests.kernel)
                return ("4.17.4", TrenchBootTests.kernel)
            case .kernel:
                try tree.installKernel("6.6.22", seed: 20)
                try tree.writeTrenchBootGrubConfiguration(xen: "4.17.3", kernel: "6.6.22")
                return ("4.17.3", "6.6.22")
            case .initramfs:
                try tree.rebuildInitramfs(TrenchBootTests.kernel, seed: 77)
                return ("4.17.3", TrenchBootTests.kernel)
            }
        }
    }

    @Test(arguments: Update.allCases)
    func predictedPCR17IsWhatTheNextBootExtends(update: Update) throws {
        let world = try Self.booted()
        let (xen, kernel) = try update.apply(to: world.tree)
        let predict = try world.run("predict", ["--json"])
        #expect(predict.status == 0, "\(predict.stderr)")
        let json = try predict.json()
        #expect(json["flow"] as? String == "trenchboot-intel")
        #expect((json["selfCheck"] as? [String: Any])?["status"] as? String == "ok", "\(predict.stdout)")
        let pcrs = try #require(json["pcrs"] as? [String: [String: [String: String]]])
        #expect((json["unpredictablePcrs"] as? [String: String])?["18"]?.contains("multiboot2 information") == true)
        #expect(pcrs["sha256"]?["18"]?["predicted"] == nil)

        let human = try world.run("predict")
        #expect(
            human.stdout.contains(
                "PCR 18  cannot be predicted: it holds a hash of GRUB's whole multiboot2 information structure"),
            "\(human.stdout)")
        #expect(human.stdout.contains("Xen (MLE)"))

        #expect(try world.run("stage", ["--yes"]).status == 0)
        try world.reboot(xen: xen, kernel: kernel, mbiSeed: 2)
        for bank in ["sha1", "sha256"] {
            let predicted = try #require(pcrs[bank]?["17"]?["predicted"], "\(bank)")
            #expect(predicted == (try world.livePCR(bank, 17)), "\(update) \(bank)")
        }
        #expect(
            try TPM2ToolsSeal.unseal(on: world.tpm, sealed: world.tree.mediaSealedSet, secret: "txt", srkPassword: "pw")
                == Array(BootTree.secretText.utf8))
    }

    /// The transition seal: refused unattended without the opt-in, then
    /// sealed to PCR 13 and 17 (`key.pcrs`), opened by AEM's tpm2-tools commands
    /// on the new boot whose PCR 18 is new; verify then wants AEM's reseal
    /// to the full SEAL list.
    @Test func transitionSealOpensOnTheNewBootAndVerifyWantsTheFullReseal() throws {
        let world = try Self.booted()
        let before = SealedSet.fingerprint(at: world.tree.sealedSet)
        _ = try Update.xen.apply(to: world.tree)

        let unattended = try world.run("stage", ["--non-interactive"])
        #expect(unattended.status == 5, "\(unattended.stderr)")
        #expect(unattended.stderr.contains("the Xen and dom0 command lines and GRUB's memory layout are not covered"))
        #expect(unattended.stderr.contains("TRANSITION_SEAL=yes"))
        #expect(SealedSet.fingerprint(at: world.tree.sealedSet) == before)

        try world.tree.directory.write(
            "etc/aem-reseal.conf", "# allow the trigger to stage TrenchBoot transition seals\nTRANSITION_SEAL=yes\n")
        let staged = try world.run("stage", ["--non-interactive"])
        #expect(staged.status == 0, "\(staged.stderr)")
        #expect(staged.stdout.contains("Transition seal:"))
        #expect(
            String(
                decoding: try world.tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pcrs"), as: UTF8.self)
                == "sha256:13,17\n")
        #expect(SealedSet.fingerprint(at: world.tree.mediaSealedSet) == SealedSet.fingerprint(at: world.tree.sealedSet))
        // The trigger again in the same boot, consent withdrawn: already staged, nothing to ask.
        try FileManager.default.removeItem(atPath: world.tree.root + "/etc/aem-reseal.conf")
        let again = try world.run("stage", ["--non-interactive"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("Nothing to seal: the set staged earlier in this boot"))

        let checklist = try world.run("checklist", ["--json"])
        let items = (try checklist.json()["items"] as? [[String: Any]]) ?? []
        let status = Dictionary(uniqueKeysWithValues: items.map { ($0["id"] as! String, $0["status"] as! String) })
        #expect(status["seal-pcrs"] == "warning" && status["staged-seal"] == "pass", "\(checklist.stdout)")
        #expect(
            try CLI.run(["status", "--json", "--root", world.tree.root]).json()["transitionLeftOutPcrs"] as? [Int] == [
                18
            ])

        // The new boot: another GRUB memory layout, so another PCR 18.
        let oldPCR18 = try world.livePCR("sha256", 18)
        try world.reboot(xen: "4.17.4", mbiSeed: 9)
        #expect(try world.livePCR("sha256", 18) != oldPCR18)
        let secret = try TPM2ToolsSeal.unseal(
            on: world.tpm, sealed: world.tree.mediaSealedSet, secret: "txt", srkPassword: "pw")
        #expect(secret == Array(BootTree.secretText.utf8))

        let early = try world.run("verify")
        #expect(early.status == 1)
        #expect(early.stdout.contains("The prediction held"))
        #expect(early.stdout.contains("AEM has not resealed to the full SEAL list yet"), "\(early.stdout)")
        // AEM's seal service reseals in place to SEAL during this boot.
        try TPM2ToolsSeal.seal(
            on: world.tpm, plaintext: world.tree.plaintextSecrets, sealed: world.tree.sealedSet, pcrs: [13, 17, 18],
            srkPassword: "pw")
        let verified = try world.run("verify", ["--json"])
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        #expect(try verified.json()["resealedToFullList"] as? Bool == true)
        #expect(try verified.json()["commandLinesAsPredicted"] as? Bool == true)

        // Had this boot run Xen with another command line (PCR 18 only, which
        // the transition seal left out), PCR 17 would hold and verify says so.
        let (xen, _) = try #require(world.tree.entryCommandLines)
        try world.tree.directory.write(
            "var/log/xen/console/hypervisor.log", "(XEN) Xen version 4.17.4\n(XEN) Command line: \(xen) iommu=0\n")
        let other = try world.run("verify")
        #expect(other.status == 1, "\(other.stdout)")
        #expect(other.stdout.contains("The prediction did NOT hold in full"), "\(other.stdout)")
        #expect(other.stdout.contains("booted    \(xen) iommu=0"), "\(other.stdout)")
        #expect(try world.run("verify", ["--json"]).json()["commandLinesAsPredicted"] as? Bool == false)
    }

    enum Tamper: String, CaseIterable, Sendable { case xen, kernel, initramfs }

    /// One byte changed in Xen or a module after staging: the transition
    /// seal does not open.
    @Test(arguments: Tamper.allCases)
    func oneByteTamperDoesNotUnseal(tamper: Tamper) throws {
        let world = try Self.booted()
        _ = try Update.xen.apply(to: world.tree)
        #expect(try world.run("stage", ["--yes"]).status == 0)
        let boot = world.tree.boot
        switch tamper {
        case .xen:
            var elf = SyntheticXen.elf(seed: 2, size: 48 * 1024 + 2)
            elf[elf.count - 100] ^= 1
            try world.tree.directory.write(
                "boot/xen-4.17.4.gz", try Command.run("gzip", ["-c", "-n"], stdinBytes: elf).stdoutBytes)
        case .kernel:
            var bytes = try world.tree.directory.read("boot/vmlinuz-\(Self.kernel)")
            bytes[bytes.count / 2] ^= 1
            try world.tree.directory.write("boot/vmlinuz-\(Self.kernel)", bytes)
        case .initramfs:
            var bytes = try Command.run("gzip", ["-dc", boot + "/initramfs-\(Self.kernel).img"]).stdoutBytes
            bytes[bytes.count / 2] ^= 1
            try world.tree.directory.write(
                "boot/initramfs-\(Self.kernel).img",
                try Command.run("gzip", ["-c", "-n"], stdinBytes: bytes).stdoutBytes)
        }
        try world.reboot(xen: "4.17.4", mbiSeed: 2)
        #expect(
            try TPM2ToolsSeal.unseal(on: world.tpm, sealed: world.tree.mediaSealedSet, secret: "txt", srkPassword: "pw")
                == nil, "\(tamper)")
    }

    /// Xen's and SINIT's events are named by what they measure.
    @Test func eventlogShowNamesXensEvents() throws {
        let world = try Self.booted()
        let shown = try CLI.run(["eventlog", "show", world.log])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("SLAUNCH_MEASUREMENT"))
        #expect(shown.stdout.contains("[Xen: GRUB's multiboot2 information (MBI)]"))
        #expect(shown.stdout.contains("[Xen: the TXT OS-MLE data GRUB passed]"))
        #expect(shown.stdout.components(separatedBy: "[Xen: a multiboot2 module, as GRUB loaded it]").count == 3)
    }

    /// A TrenchBoot log with a tboot entry (or the reverse) is an error that
    /// says which is which, never a prediction of the wrong chain.
    @Test func logAndEntryOfDifferentLaunchesAreRefused() throws {
        let world = try Self.booted()
        try world.tree.installXen("4.17.3", seed: 1)
        try world.tree.writeGrubConfiguration()
        let result = try world.run("predict")
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("is a TrenchBoot launch (trenchboot-intel), but the GRUB entry"), "\(result.stderr)")
        #expect(result.stderr.contains("boots through tboot"))
    }

    /// Without --event-log the log is read where Xen's console says it
    /// reserved it, in both forms Xen prints, from /dev/mem (zero-padded to
    /// the reservation's end, as GRUB allocates it); `record` keeps it.
    @Test(arguments: ["(0x7e000 - 0x86000)", "[0x7e000, 0x86000)"])
    func logIsReadWhereXenReservedIt(form: String) throws {
        let world = try Self.booted()
        let bytes = try world.tree.directory.read("drtm.log")
        try world.tree.directory.write(
            "var/log/xen/console/hypervisor.log",
            "(XEN) SLAUNCH: reserving event log (0x1000 - 0x2000)\n(XEN) Xen version 4.17.3\n(XEN) SLAUNCH: reserving event log \(form)\n"
        )
        let memory = world.tree.root + "/dev/mem"
        #expect(FileManager.default.createFile(atPath: memory, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: memory))
        try handle.seek(toOffset: 0x7e000)
        try handle.write(contentsOf: Data(bytes + [UInt8](repeating: 0, count: 0x8000 - bytes.count)))
        try handle.close()

        let predict = try CLI.run(["predict", "--root", world.tree.root, "--tcti", world.tpm.tcti, "--json"])
        #expect(predict.status == 0, "\(predict.stderr)")
        let json = try predict.json()
        #expect(
            (json["eventLog"] as? [String: String])?["source"]?.contains("TrenchBoot event log at") == true,
            "\(json["eventLog"] ?? "")")
        #expect((json["selfCheck"] as? [String: Any])?["status"] as? String == "ok")
        let record = try CLI.run(["record", "--root", world.tree.root, "--tcti", world.tpm.tcti])
        #expect(record.status == 0, "\(record.stderr)")
    }

    /// Nothing changed since this boot began (grub.cfg byte-identical to
    /// the record's snapshot of /boot, every file the one measured): PCR 18
    /// is this boot's too, so `stage` seals nothing rather than a weaker
    /// transition set. A grub.cfg that changes only Xen's command line (PCR
    /// 18 alone) still gets the transition seal.
    @Test func nothingChangedSealsNothingButACommandLineChangeIsATransition() throws {
        let world = try Self.booted()
        let keyBefore = try world.tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub")
        let unchanged = try world.run("stage", ["--yes"])
        #expect(unchanged.status == 0, "\(unchanged.stdout)\(unchanged.stderr)")
        #expect(unchanged.stdout.contains("Nothing to seal: the next boot loads the files this boot measured"))
        #expect(!unchanged.stdout.contains("Transition seal:"), "\(unchanged.stdout)")
        #expect(try world.tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub") == keyBefore)

        world.tree.xenCommandLine += " dom0_mem=max:4096M"
        try world.tree.writeTrenchBootGrubConfiguration(xen: "4.17.3", kernel: Self.kernel)
        let changed = try world.run("stage", ["--yes"])
        #expect(changed.status == 0, "\(changed.stdout)\(changed.stderr)")
        #expect(changed.stdout.contains("Transition seal:"), "\(changed.stdout)")
        #expect(
            try String(contentsOfFile: world.tree.sealedSet + "/key.pcrs", encoding: .utf8) == "sha256:13,17\n")
    }

    /// The xen package replaces the booted Xen: only the boot record
    /// (made during the boot) proves the MLE model, and it does.
    @Test func xenReplacedInPlaceIsProvenByTheBootRecord() throws {
        let world = try Self.booted()
        #expect(try world.run("record").status == 0)
        _ = try Update.xen.apply(to: world.tree)
        try FileManager.default.removeItem(atPath: world.tree.boot + "/xen-4.17.3.gz")
        let predict = try world.run("predict", ["--json"])
        #expect(predict.status == 0, "\(predict.stderr)")
        let json = try predict.json()
        #expect((json["selfCheck"] as? [String: Any])?["status"] as? String == "ok", "\(predict.stdout)")
        let mle = try #require(json["mle"] as? [String: Any])
        #expect((mle["change"] as? [String: String])?["rung"] == "boot-record")
        let predicted = try #require(
            (json["pcrs"] as? [String: [String: [String: String]]])?["sha256"]?["17"]?["predicted"])

        // Without the record nothing proves the new Xen's MLE: refused.
        let boots = world.tree.root + "/var/lib/aem-reseal/boots"
        try FileManager.default.moveItem(atPath: boots, toPath: boots + ".away")
        let unproven = try world.run("stage", ["--yes"])
        #expect(unproven.status == 1, "\(unproven.stderr)")
        #expect(unproven.stdout.contains("cannot be proven"), "\(unproven.stdout)")
        #expect(!unproven.stdout.contains("live PCR"), "the log itself replays")
        // In TrenchBoot's words (Xen is the MLE; no tboot, no SINIT-measured
        // tboot), with the three ways forward in order.
        #expect(unproven.stdout.contains("Xen /xen-4.17.4.gz (the MLE/DLME)"), "\(unproven.stdout)")
        #expect(unproven.stdout.contains("there is no tboot"))
        #expect(!unproven.stdout.contains("tboot on") && !unproven.stdout.contains("new tboot"))
        let ways = [
            "(1) before the next update, let `sudo aem-reseal record` run", "(2) keep the booted Xen on /boot",
            "(3) or accept one unproven boot",
        ].map { unproven.stdout.range(of: $0)?.lowerBound }
        #expect(ways.allSatisfy { $0 != nil } && ways == ways.sorted { $0! < $1! }, "\(unproven.stdout)")
        // status and checklist say the boot has no record, and why it matters.
        let status = try CLI.run(["status", "--root", world.tree.root, "--json"])
        #expect(try status.json()["bootRecorded"] as? Bool == false, "\(status.stdout)")
        #expect(try CLI.run(["status", "--root", world.tree.root]).stdout.contains("no boot record for this boot yet"))
        let checklist = try world.run("checklist", ["--json"])
        let item = try #require(
            (try checklist.json()["items"] as? [[String: Any]])?.first { $0["id"] as? String == "boot-record" })
        #expect(
            item["status"] as? String == "warning" && (item["fix"] as? String)?.contains("aem-reseal record") == true)
        try FileManager.default.moveItem(atPath: boots + ".away", toPath: boots)
        #expect(try CLI.run(["status", "--root", world.tree.root, "--json"]).json()["bootRecorded"] as? Bool == true)

        // With the record, stage seals, and its summary names the MLE that changed.
        let staged = try world.run("stage", ["--yes"])
        #expect(staged.status == 0, "\(staged.stdout)\(staged.stderr)")
        #expect(staged.stdout.contains("  - Xen (the MLE): 4.17.3 -> 4.17.4"), "\(staged.stdout)")
        #expect(!staged.stdout.contains("Changed components: none"))
        #expect(!staged.stdout.contains("tboot"), "TrenchBoot has no tboot: \(staged.stdout)")

        try world.reboot(xen: "4.17.4", mbiSeed: 4)
        #expect(predicted == (try world.livePCR("sha256", 17)))
    }

    /// AMD (SKINIT + SKL): Xen, kernel and initramfs updates are predicted
    /// bit-exact (Xen's "DLME" and "DLME entry offset" from its MLE header)
    /// and the transition seal opens on the new boot.
    @Test(arguments: Update.allCases)
    func amdPredictsUpdatesAndTheTransitionSealOpens(update: Update) throws {
        let world = try Self.booted(vendor: .amd)
        let (xen, kernel) = try update.apply(to: world.tree)
        let predict = try world.run("predict", ["--json"])
        #expect(predict.status == 0, "\(predict.stderr)")
        let json = try predict.json()
        #expect(json["flow"] as? String == "trenchboot-amd")
        #expect((json["selfCheck"] as? [String: Any])?["status"] as? String == "ok", "\(predict.stdout)")
        let pcrs = try #require(json["pcrs"] as? [String: [String: [String: String]]])
        #expect(try world.run("stage", ["--yes"]).status == 0)
        try world.reboot(xen: xen, kernel: kernel, mbiSeed: 5)
        for bank in ["sha1", "sha256"] {
            #expect(try #require(pcrs[bank]?["17"]?["predicted"]) == (try world.livePCR(bank, 17)), "\(update) \(bank)")
        }
        #expect(
            try TPM2ToolsSeal.unseal(on: world.tpm, sealed: world.tree.mediaSealedSet, secret: "txt", srkPassword: "pw")
                == Array(BootTree.secretText.utf8))
    }

    /// An entry point that does not follow the MLE header (another model of
    /// GRUB's) is caught on the booted Xen before anything is sealed.
    @Test func amdEntryPointModelIsProvenOnTheBootedXen() throws {
        let world = try Self.booted(vendor: .amd)
        // A log whose "DLME entry offset" is not the header's entry point.
        var log = try world.tree.directory.read("drtm.log")
        let label = Array("DLME entry offset".utf8)
        let at = try #require(
            (0..<(log.count - label.count)).first { log[$0..<($0 + label.count)].elementsEqual(label) })
        // The record's digests precede its 4-byte size and the label: flip a byte of the SHA-256 one.
        log[at - 4 - 1] ^= 1
        let tampered = try world.tree.directory.write("drtm-other.log", log)
        let predict = try CLI.run([
            "predict", "--root", world.tree.root, "--event-log", tampered, "--pcrs-file",
            try world.tree.directory.write("pcrs.json", "{}"),
        ])
        #expect(predict.status == 1, "\(predict.stderr)")
        #expect(
            predict.stdout.contains("entry point does not reproduce the \"DLME entry offset\""), "\(predict.stdout)")
    }

    /// A TPM 1.2 launch: vendor, mapping, and what the update changes.
    struct TPM12Case: Sendable, CustomStringConvertible {
        var vendor: SimulatedTrenchBootChain.Vendor
        var legacyMapping = false
        var update: Update
        var description: String { "\(vendor)\(legacyMapping ? " legacy" : "") \(update)" }
    }

    static let tpm12Cases: [TPM12Case] = [
        .init(vendor: .intel, update: .xen), .init(vendor: .intel, update: .kernel),
        .init(vendor: .intel, update: .initramfs),
        .init(vendor: .intel, legacyMapping: true, update: .xen), .init(vendor: .amd, update: .xen),
        .init(vendor: .amd, update: .kernel),
        .init(vendor: .amd, update: .initramfs),
    ]

    /// TPM 1.2 (swtpm behind tcsd; Intel's TXT container log, the legacy
    /// mapping too, or AMD's TCG 1.2 log): each update gets a transition seal
    /// in tpm_sealdata's format, sealed to PCR 13 and 17, which the real
    /// `tpm_unsealdata -z` opens on the new boot (the TPM itself judges the
    /// predicted SHA-1 values); one byte changed in what was updated keeps
    /// it closed.
    @Test(arguments: tpm12Cases)
    func tpm12TransitionSealOpensWithTpmUnsealdata(scenario: TPM12Case) throws {
        let tree = try BootTree(seal: "--pcr 13 --pcr 17 --pcr 18", tpmVersionMajor: 1)
        try tree.installTrenchBootXen("4.17.3", seed: 1)
        try tree.installKernel(Self.kernel, seed: 10)
        if scenario.vendor == .amd { try tree.directory.write("boot/skl.bin", testBytes(8192, seed: 66)) }
        tree.trenchBootLaunchModule = scenario.vendor == .amd ? "/skl.bin" : "/GM45_GS45_PM45_SINIT_51.BIN"
        try tree.writeTrenchBootGrubConfiguration(xen: "4.17.3", kernel: Self.kernel)
        try tree.enterInWrittenFilesLedger(["grub2/grub.cfg"])
        try tree.installAEM(srkPassword: "")
        try tree.showRunningCommandLines()
        let tpm = try SoftwareTPM12()
        func boot(xen: String, kernel: String, mbiSeed: UInt8) throws -> [UInt8] {
            var chain = tree.trenchBootChain(xen: xen, kernel: kernel, mbiSeed: mbiSeed, vendor: scenario.vendor)
            chain.legacyMapping = scenario.legacyMapping
            return try TrenchBootSimulator.boot(chain, on: tpm)
        }
        let log = try tree.directory.write("drtm.log", try boot(xen: "4.17.3", kernel: Self.kernel, mbiSeed: 1))
        try tree.recordBoot(["--event-log", log], environment: tpm.environment)
        try TPMToolsSeal12.seal(on: tpm, plaintext: tree.plaintextSecrets, sealed: tree.sealedSet, pcrs: [13, 17, 18])
        try tree.copySealedSetToMedia()

        let (xen, kernel) = try scenario.update.apply(to: tree)
        let predict = try CLI.run(
            ["predict", "--root", tree.root, "--event-log", log, "--json"], environment: tpm.environment)
        #expect(predict.status == 0, "\(predict.stderr)")
        let json = try predict.json()
        #expect(
            json["flow"] as? String == (scenario.vendor == .amd ? "trenchboot-amd-tpm12" : "trenchboot-intel-tpm12"),
            "\(predict.stdout)")
        #expect((json["selfCheck"] as? [String: Any])?["status"] as? String == "ok", "\(predict.stdout)")
        let stage = try CLI.run(
            ["stage", "--root", tree.root, "--event-log", log, "--yes"], environment: tpm.environment)
        if scenario.legacyMapping {
            // Xen's measurement sits in PCR 18: a transition seal would not cover it.
            #expect(stage.status == 1, "\(stage.stderr)")
            #expect(
                stage.stderr.contains(
                    "would not cover Xen: with the legacy PCR mapping SINIT measures Xen into PCR 18"),
                "\(stage.stderr)")
            return
        }
        #expect(stage.status == 0, "\(stage.stderr)")
        #expect(stage.stdout.contains("Transition seal:"))
        #expect(SealedSet.format(at: tree.sealedSet) == .tpm12)

        try tpm.powerCycle()
        _ = try boot(xen: xen, kernel: kernel, mbiSeed: 7)
        #expect(
            try TPMToolsSeal12.unseal(on: tpm, sealed: tree.mediaSealedSet, secret: "txt")
                == Array(BootTree.secretText.utf8), "\(scenario)")

        // One byte changed in what the update brought.
        switch scenario.update {
        case .xen:
            var elf = SyntheticXen.elf(seed: 2, size: 48 * 1024 + 2)
            elf[elf.count - 100] ^= 1
            try tree.directory.write(
                "boot/xen-4.17.4.gz", try Command.run("gzip", ["-c", "-n"], stdinBytes: elf).stdoutBytes)
        case .kernel:
            var bytes = try tree.directory.read("boot/vmlinuz-\(kernel)")
            bytes[bytes.count / 3] ^= 1
            try tree.directory.write("boot/vmlinuz-\(kernel)", bytes)
        case .initramfs:
            var bytes = try Command.run("gzip", ["-dc", tree.boot + "/initramfs-\(kernel).img"]).stdoutBytes
            bytes[bytes.count / 3] ^= 1
            try tree.directory.write(
                "boot/initramfs-\(kernel).img", try Command.run("gzip", ["-c", "-n"], stdinBytes: bytes).stdoutBytes)
        }
        try tpm.powerCycle()
        _ = try boot(xen: xen, kernel: kernel, mbiSeed: 7)
        #expect(try TPMToolsSeal12.unseal(on: tpm, sealed: tree.mediaSealedSet, secret: "txt") == nil, "\(scenario)")
    }

    /// What this boot ran with is what the running system shows, never a
    /// re-evaluation of grub.cfg when `record` runs (GRUB may have chosen
    /// otherwise at boot: a grubenv it rewrote, a menu edit). Under
    /// TrenchBoot the log holds no command line: dom0's is compared with
    /// /proc/cmdline, byte for byte, and a difference makes GRUB's
    /// configuration a file that needs a voucher.
    @Test func theCommandLineThisBootRanWithIsTheRunningSystems() throws {
        let world = try Self.booted()
        let (_, dom0) = try #require(world.tree.entryCommandLines)
        try world.tree.directory.write("proc/cmdline", dom0 + " single\n")
        #expect(try world.run("record").status == 0)
        let stamp = try #require(try SystemLayout(root: world.tree.root).bootTimeSeconds())
        let record = try #require(try BootRecord.load(in: world.tree.root + "/var/lib/aem-reseal/boots/\(stamp)"))
        #expect(record.bootedCommandLines?.dom0 == dom0 + " single")

        let json = try world.run("predict", ["--json"]).json()
        let modules = try #require(json["modules"] as? [[String: Any]])
        let change =
            try #require(modules.first { $0["role"] as? String == "dom0-kernel" }?["commandLineChange"])
            as? [String: Any]
        #expect(change?["rung"] as? String == "booted-command-line", "\(String(describing: change))")
        #expect(change?["state"] as? String == "changed")
        let configuration = try #require(json["grubConfiguration"] as? [[String: Any]])
        let status = (configuration.first?["provenance"] as? [String: Any])?["status"] as? String
        #expect(status != "booted", "it chose another command line than this boot ran with: \(configuration)")
    }
}
