import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// `predict`'s inputs: where the log, the live PCRs and the entry come
/// from, and the error (and exit status) for each thing that can be wrong.
@Suite(.serialized) struct PredictInputTests {
    /// A booted DA chain with nothing changed since.
    struct Booted {
        var tree: BootTree
        var tpm: SoftwareTPM
        var boot: BootSimulator.Boot
        var logPath: String
    }

    static func booted(flow: SimulatedChain.Flow = .detailsAuthorities, printedCommandLines: [String]? = nil) throws
        -> Booted
    {
        let tree = try BootTree()
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel("6.6.21", seed: 10)
        try tree.writeGrubConfiguration()
        let tpm = try SoftwareTPM()
        let boot = try BootSimulator.simulate(
            tree.chain(flow: flow, xen: "4.17.3", kernel: "6.6.21"), on: tpm, printedCommandLines: printedCommandLines)
        let logPath = try tree.directory.write("drtm.log", boot.log)
        return Booted(tree: tree, tpm: tpm, boot: boot, logPath: logPath)
    }

    @Test(arguments: [SimulatedChain.Flow.detailsAuthorities, .legacy])
    func tbootTextLogAloneIsEnoughAndItsCommandLinesAreChecked(flow: SimulatedChain.Flow) throws {
        let booted = try Self.booted(flow: flow)
        let text = try booted.tree.directory.write("txt-stat.txt", booted.boot.tbootText)
        let result = try CLI.run([
            "predict", "--root", booted.tree.root, "--tcti", booted.tpm.tcti, "--tboot-log", text, "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try result.json()
        #expect((json["eventLog"] as? [String: String])?["format"] == "tboot-text")
        #expect((json["selfCheck"] as? [String: Any])?["status"] as? String == "ok")
    }

    @Test func commandLineThatDiffersFromWhatTbootPrintedIsAMismatch() throws {
        let tree = try BootTree()
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel("6.6.21", seed: 10)
        try tree.writeGrubConfiguration()
        let chain = tree.chain(flow: .detailsAuthorities, xen: "4.17.3", kernel: "6.6.21")
        let tpm = try SoftwareTPM()
        var printed = chain.modules.map(\.commandLine)
        printed[0] = printed[0].replacingOccurrences(of: "smt=off", with: "smt=on")
        let boot = try BootSimulator.simulate(chain, on: tpm, printedCommandLines: printed)
        let log = try tree.directory.write("drtm.log", boot.log)
        let text = try tree.directory.write("txt-stat.txt", boot.tbootText)
        let result = try CLI.run([
            "predict", "--root", tree.root, "--tcti", tpm.tcti, "--event-log", log, "--tboot-log", text, "--json",
        ])
        #expect(result.status == 1)
        let problems = try #require((try result.json()["selfCheck"] as? [String: Any])?["problems"] as? [[String: Any]])
        #expect(
            problems.contains {
                ($0["message"] as? String)?.contains("tboot printed") == true
                    && ($0["component"] as? String)?.contains("Xen") == true
            })
    }

    @Test func tbootMemoryLogIsReadThroughDevMem() throws {
        let booted = try Self.booted()
        // /dev/mem under --root: the memory log image at physical 0x60000.
        var image = [UInt8](repeating: 0, count: 0x60000)
        var header = LogBuilder()
        let text = booted.boot.tbootText
        header.raw([0x26, 0x25, 0x19, 0xC0, 0x30, 0x6B, 0xB4, 0x4D, 0x4C, 0x84, 0xA3, 0xE9, 0x53, 0xB8, 0x81, 0x74])
        header.u16(UInt16(0x10000 - 61))
        header.u16(UInt16(text.count))
        for _ in 0..<20 { header.u16(0) }
        header.u8(0)
        image += header.bytes + text + [UInt8](repeating: 0, count: 0x10000 - 61 - text.count)
        try booted.tree.directory.write("dev/mem", image)
        let result = try CLI.run(["predict", "--root", booted.tree.root, "--tcti", booted.tpm.tcti, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect((try result.json()["eventLog"] as? [String: String])?["source"]?.contains("tboot memory log") == true)
    }

    @Test func pcrsFileAndNoTPM() throws {
        let booted = try Self.booted()
        let yaml = try booted.tpm.tool("tpm2_pcrread", ["sha1:13,17,18,19+sha256:13,17,18,19"])
        let pcrs = try booted.tree.directory.write("pcrs.yaml", yaml)
        let fromFile = try CLI.run([
            "predict", "--root", booted.tree.root, "--pcrs-file", pcrs, "--event-log", booted.logPath, "--json",
        ])
        #expect(fromFile.status == 0)
        #expect((try fromFile.json()["selfCheck"] as? [String: Any])?["status"] as? String == "ok")

        let none = try CLI.run([
            "predict", "--root", booted.tree.root, "--no-tpm", "--event-log", booted.logPath, "--json",
        ])
        #expect(none.status == 0)
        #expect((try none.json()["selfCheck"] as? [String: Any])?["status"] as? String == "unavailable")

        // Live values that are not this boot's: the replay check fails, naming PCR and events.
        let live = try booted.tpm.connect().readPCRs(banks: [.sha256], pcrs: [13, 18])
        let wrong = try booted.tree.directory.write(
            "wrong.json",
            """
            {"sha256": {"13": "\(live[.sha256, 13]!.hex)", "17": "\(String(repeating: "0", count: 63))1", "18": "\(live[.sha256, 18]!.hex)"}}
            """)
        let mismatch = try CLI.run([
            "predict", "--root", booted.tree.root, "--pcrs-file", wrong, "--event-log", booted.logPath, "--json",
        ])
        #expect(mismatch.status == 1, "\(mismatch.stderr)")
        let problems = try #require(
            (try mismatch.json()["selfCheck"] as? [String: Any])?["problems"] as? [[String: Any]])
        #expect(problems.count == 1)
        #expect(problems.first?["pcr"] as? Int == 17)
        #expect(problems.first?["bank"] as? String == "sha256")
        #expect((problems.first?["events"] as? [Int])?.isEmpty == false)
    }

    @Test func unreachableTPMExitsThree() throws {
        let booted = try Self.booted()
        let result = try CLI.run([
            "predict", "--root", booted.tree.root, "--tcti", "swtpm:host=127.0.0.1,port=1", "--event-log",
            booted.logPath,
        ])
        #expect(result.status == 3)
        #expect(result.stderr.contains("cannot read the live PCRs"))
        #expect(result.stderr.contains("--no-tpm"))
        // stage has neither option: it does not advise them.
        let stage = try CLI.run([
            "stage", "--root", booted.tree.root, "--tcti", "swtpm:host=127.0.0.1,port=1", "--event-log",
            booted.logPath, "--yes",
        ])
        #expect(stage.status == 3)
        #expect(!stage.stderr.contains("--no-tpm") && !stage.stderr.contains("--pcrs-file"), "\(stage.stderr)")
        #expect(stage.stderr.contains("stage seals with this TPM"))
    }

    /// A --tcti tpm2-tss cannot even load is a typing error (exit 2), not
    /// an unreachable TPM (exit 3).
    @Test(arguments: ["garbage", "swtpm:port=notanumber"])
    func unusableTCTIIsBadInput(tcti: String) throws {
        let booted = try Self.booted()
        let result = try CLI.run(["predict", "--root", booted.tree.root, "--tcti", tcti, "--event-log", booted.logPath])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--tcti \"\(tcti)\" is not a TCTI tpm2-tss can use"), "\(result.stderr)")
    }

    @Test func missingLogSaysWhatWasTried() throws {
        let booted = try Self.booted()
        let result = try CLI.run(["predict", "--root", booted.tree.root, "--no-tpm"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("tboot memory log at"))
        #expect(result.stderr.contains("boot records"))
        #expect(result.stderr.contains("--event-log"))
    }

    @Test func entrySelection() throws {
        let booted = try Self.booted()
        let args = ["predict", "--root", booted.tree.root, "--no-tpm", "--event-log", booted.logPath, "--json"]
        // An explicit AEM entry by id path.
        let id = BootTree.deviceID
        let explicit = try CLI.run(
            args + [
                "--entry", "gnulinux-advanced-\(id)>xen-hypervisor-4.17.3-\(id)>xen-gnulinux-6.6.21-advanced-\(id)",
            ])
        #expect(explicit.status == 0, "\(explicit.stderr)")
        #expect((try explicit.json()["entry"] as? [String: String])?["id"] == "xen-gnulinux-6.6.21-advanced-\(id)")
        // The plain Xen entry is not an AEM entry.
        let plain = try CLI.run(args + ["--entry", "Qubes, with Xen hypervisor"])
        #expect(plain.status == 2)
        #expect(plain.stderr.contains("without tboot or slaunch: it is not an AEM entry"), "\(plain.stderr)")
        #expect(plain.stderr.contains("AEM entries: \"AEM Qubes, with Xen hypervisor\""))
        let unknown = try CLI.run(args + ["--entry", "no such entry"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no GRUB entry matches"))
        // Without a saved entry GRUB boots the first entry: still the AEM one (19_ comes before 20_).
        try booted.tree.writeGrubEnvironment([:])
        #expect(try CLI.run(args).status == 0)
    }

    @Test func brokenBootFilesAreInputErrors() throws {
        let booted = try Self.booted()
        let args = ["predict", "--root", booted.tree.root, "--no-tpm", "--event-log", booted.logPath]
        try FileManager.default.removeItem(atPath: booted.tree.boot + "/vmlinuz-6.6.21")
        let missing = try CLI.run(args)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("vmlinuz-6.6.21"))

        try booted.tree.directory.write("boot/grub2/grub.cfg", "menuentry 'x' {\n")
        let syntax = try CLI.run(args)
        #expect(syntax.status == 2)
        #expect(syntax.stderr.contains("grub.cfg:1"))

        try booted.tree.directory.write("etc/anti-evil-maid.conf", "SEAL=\"--pcr 42\"\n")
        let conf = try CLI.run(args)
        #expect(conf.status == 2)
        #expect(conf.stderr.contains("anti-evil-maid.conf"))
    }

    @Test func sealingPCR19OnTPM2IsWarnedAbout() throws {
        let booted = try Self.booted()
        try booted.tree.directory.write("etc/anti-evil-maid.conf", "SEAL=\"--pcr 13 --pcr 17 --pcr 18 --pcr 19\"\n")
        let result = try CLI.run([
            "predict", "--root", booted.tree.root, "--tcti", booted.tpm.tcti, "--event-log", booted.logPath,
        ])
        #expect(result.status == 0)
        #expect(result.stdout.contains("SEAL includes PCR 19, which tboot-da never extends"))
        // The fix names this system's file, under --root too.
        #expect(result.stdout.contains("remove \"--pcr 19\" from \(booted.tree.root)/etc/anti-evil-maid.conf"))
        #expect(result.stdout.contains("Self-check: ok"))
    }
}
