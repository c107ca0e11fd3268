import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// What `stage` does when it must not seal, or must seal with care; and
/// the AEM media copy. No file of the active set may change on a refusal.
@Suite(.serialized) struct StageBehaviourTests {
    static let kernel = "6.6.21"

    struct Setup: @unchecked Sendable {
        var tree: BootTree
        var tpm: SoftwareTPM
        var log: String
        var tbootText: String

        func stage(_ extra: [String], environment: [String: String] = [:]) throws -> CLI.Result {
            try CLI.run(
                ["stage", "--root", tree.root, "--tcti", tpm.tcti, "--event-log", log] + extra, environment: environment
            )
        }

        /// Fingerprint of the active set (nil when absent).
        var activeSet: String? { SealedSet.fingerprint(at: tree.sealedSet) }
    }

    /// A booted DA chain with AEM's seal (tpm2-tools) in place, then a Xen update.
    static func setup(
        srkPassword: String? = "pw", seal: String = "--pcr 13 --pcr 17 --pcr 18", initramfsLoaded: String = "gzip"
    ) throws -> Setup {
        let tree = try BootTree(seal: seal)
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel(kernel, seed: 10)
        try tree.writeGrubConfiguration()
        // A model that does not fit: its files are older than the boot.
        if initramfsLoaded != "gzip" { try tree.startBootAfterItsFiles() }
        // The record unit runs during every boot.
        let booted = try TPM2ToolsBoot.boot(
            tree,
            chain: tree.chain(
                flow: .detailsAuthorities, xen: "4.17.3", kernel: kernel, initramfsLoaded: initramfsLoaded),
            srkPassword: "pw", cachedSRKPassword: srkPassword, record: true)
        try tree.installXen("4.17.4", seed: 2)
        try tree.writeGrubConfiguration()
        return Setup(tree: tree, tpm: booted.tpm, log: booted.log, tbootText: booted.tbootText)
    }

    @Test func mismatchRefusesUnlessForcedAndForcingIsLoudAndRecorded() throws {
        // GRUB unpacks the initramfs, but the boot measured it as stored.
        // The boot record shows the initramfs is the file that was booted,
        // so it must reproduce.
        let setup = try Self.setup(initramfsLoaded: "raw")
        let before = setup.activeSet
        let refused = try setup.stage(["--yes", "--tboot-log", setup.tbootText])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("self-check is mismatch: nothing was sealed"))
        #expect(setup.activeSet == before)
        // status tells the truth about the next boot: the update is pending.
        let status = try CLI.run(["status", "--root", setup.tree.root])
        #expect(status.stdout.contains("Pending: the last `aem-reseal stage` sealed nothing"), "\(status.stdout)")
        #expect(status.stdout.contains("self-check is mismatch"), "\(status.stdout)")

        let forced = try setup.stage(["--yes", "--force", "--tboot-log", setup.tbootText])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stderr.contains("WARNING: --force"))
        #expect(forced.stdout.contains("FORCED"))
        #expect(setup.activeSet != before)
        let state = try #require(try ResealState.load(from: setup.tree.root + "/var/lib/aem-reseal/state.json"))
        #expect(state.forced && state.selfCheck == "mismatch" && state.phase == .staged)
    }

    @Test func nonInteractiveWithoutCachedPasswordLeavesAPendingState() throws {
        let setup = try Self.setup(srkPassword: nil)
        let before = setup.activeSet
        let result = try setup.stage(["--non-interactive"])
        #expect(result.status == 5)
        #expect(result.stderr.contains("SRK password is needed"))
        #expect(result.stderr.contains("sudo aem-reseal stage"))
        #expect(setup.activeSet == before)
        let state = try #require(try ResealState.load(from: setup.tree.root + "/var/lib/aem-reseal/state.json"))
        #expect(state.phase == .pending)

        // With the password from a file it goes through.
        let file = try setup.tree.directory.write("srk.txt", "pw\n", mode: 0o600)
        let staged = try setup.stage(["--non-interactive", "--srk-password-file", file])
        #expect(staged.status == 0, "\(staged.stderr)")
    }

    /// The rpm trigger's stage fails (the TPM unreachable): `status` and
    /// `checklist` both say the update is pending and why, never "nothing
    /// pending"; once a stage finds nothing to seal, it is no longer pending.
    @Test func aFailedStageLeavesTheUpdatePendingUntilAStageSettlesIt() throws {
        let setup = try Self.setup()
        let unreachable = try CLI.run([
            "stage", "--root", setup.tree.root, "--tcti", "swtpm:host=127.0.0.1,port=1", "--event-log", setup.log,
            "--non-interactive",
        ])
        #expect(unreachable.status == 3, "\(unreachable.stderr)")
        let status = try CLI.run(["status", "--root", setup.tree.root, "--json"])
        #expect(try status.json()["status"] as? String == "pending", "\(status.stdout)")
        #expect((try status.json()["message"] as? String)?.contains("cannot read the live PCRs") == true)
        let checklist = try CLI.run(
            ["checklist", "--root", setup.tree.root, "--tcti", setup.tpm.tcti, "--event-log", setup.log])
        #expect(checklist.status == 1)
        #expect(checklist.stdout.contains("the last aem-reseal stage sealed nothing"), "\(checklist.stdout)")

        // The update undone: nothing to seal, nothing pending.
        try FileManager.default.removeItem(atPath: setup.tree.boot + "/xen-4.17.4.gz")
        try setup.tree.writeGrubConfiguration()
        let settled = try setup.stage(["--yes"])
        #expect(settled.stdout.contains("Nothing to seal"), "\(settled.stdout)\(settled.stderr)")
        let after = try CLI.run(["status", "--root", setup.tree.root, "--json"])
        #expect(try after.json()["status"] as? String == "nothing-pending", "\(after.stdout)")
    }

    /// aem-reseal installed (or `record` run) after an update, mid-boot:
    /// the files the update wrote are not this boot's. `record` says /boot
    /// already changed and keeps no verdict for them; `stage` then refuses
    /// for want of a voucher, never blaming the model or offering --force.
    @Test func aRecordMadeAfterTheUpdateIsNeverTakenForTheBootsFiles() throws {
        let (tree, tpm, log) = try StageEndToEndTests.bootedWithStockSeal(record: false)
        let kernel = StageEndToEndTests.kernel
        // The update, before any record: the initramfs rebuilt in place.
        try tree.rebuildInitramfs(kernel, seed: 77)
        let common = ["--root", tree.root, "--tcti", tpm.tcti, "--event-log", log]
        let record = try CLI.run(["record"] + common)
        #expect(record.status == 0, "\(record.stderr)")
        #expect(record.stderr.contains("/boot already changed since this boot began"), "\(record.stderr)")
        #expect(record.stderr.contains("/initramfs-\(kernel).img is not the file this boot measured"))
        #expect(!record.stderr.contains("model does not fit"), "\(record.stderr)")

        // The package's %post says the same when it records at install.
        let atInstall = try Command.run(
            Fixtures.project("packaging/record-at-install"), [],
            environment: [
                "AEM_RESEAL": CLI.executable.path, "AEM_RESEAL_ROOT": tree.root,
                "AEM_RESEAL_ARGS": "--tcti \(tpm.tcti) --event-log \(log)",
            ])
        #expect(atInstall.status == 0)
        #expect(atInstall.stdout.contains("aem-reseal: recorded this boot"), "\(atInstall.stdout)")
        #expect(
            atInstall.stdout.contains("aem-reseal: warning: /boot already changed since this boot began"),
            "\(atInstall.stdout)")

        let stage = try CLI.run(["stage"] + common + ["--yes"])
        #expect(stage.status == 1, "\(stage.stdout)\(stage.stderr)")
        #expect(!(stage.stdout + stage.stderr).contains("MISMATCH"), "\(stage.stdout)")
        #expect(!stage.stderr.contains("does not fit"), "\(stage.stderr)")
        #expect(stage.stderr.contains("nothing trustworthy vouches for"), "\(stage.stderr)")
        #expect(stage.stderr.contains("/initramfs-\(kernel).img"), "\(stage.stderr)")
    }

    @Test func wrongSRKPasswordChangesNothing() throws {
        let setup = try Self.setup(srkPassword: "not the password")
        let before = setup.activeSet
        let result = try setup.stage(["--yes"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("refused the SRK password"))
        #expect(setup.activeSet == before)
    }

    @Test func pcrThatStaysZeroIsRefused() throws {
        let setup = try Self.setup(seal: "--pcr 13 --pcr 17 --pcr 18 --pcr 19")
        let before = setup.activeSet
        let result = try setup.stage(["--yes"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("PCR 19 is predicted all zero"))
        #expect(setup.activeSet == before)
    }

    /// A TPM 2.0 boot's log with a TPM said to be 1.2: refused before
    /// anything is sealed. Detected from sysfs, the TPM is asked through
    /// tcsd, which is not there; named with --tpm-version and the PCRs
    /// from a file, the log's flow does not fit.
    @Test func logThatDoesNotFitTheTPMVersionIsRefused() throws {
        let setup = try Self.setup()
        let before = setup.activeSet
        try setup.tree.directory.write("sys/class/tpm/tpm0/tpm_version_major", "1\n")
        // A TPM 1.2 boot's log on a TPM 1.2 whose tcsd does not answer.
        let unreachable = try CLI.run(
            [
                "stage", "--root", setup.tree.root, "--event-log",
                Fixtures.path("tboot/tpm12-legacy.eventlog-txt12.bin"), "--yes",
            ],
            environment: ["TSS_TCSD_PORT": "1"])
        #expect(unreachable.status == 3)
        #expect(unreachable.stderr.contains("tcsd"), "\(unreachable.stderr)")

        // A TPM 2.0 boot's log on a TPM 1.2: refused before the TPM is touched.
        let misfit = try CLI.run(
            ["stage", "--root", setup.tree.root, "--tpm-version", "1.2", "--event-log", setup.log, "--yes"],
            environment: ["TSS_TCSD_PORT": "1"])
        #expect(misfit.status == 4)
        #expect(misfit.stderr.contains("TPM 2.0 boot (tboot-da) but the TPM is a 1.2"), "\(misfit.stderr)")
        #expect(setup.activeSet == before)

        // predict says the same.
        let predicted = try CLI.run([
            "predict", "--root", setup.tree.root, "--tpm-version", "1.2", "--event-log", setup.log,
        ])
        #expect(predicted.status == 4)
        #expect(predicted.stderr.contains("does not fit this TPM"), "\(predicted.stderr)")

        // stage never takes the PCRs from a file.
        let file = try setup.tree.directory.write("pcrs.yaml", try setup.tpm.tool("tpm2_pcrread", ["sha256:13,17,18"]))
        let fromFile = try CLI.run([
            "stage", "--root", setup.tree.root, "--pcrs-file", file, "--event-log", setup.log, "--yes",
        ])
        #expect(fromFile.status == 64)
        #expect(fromFile.stderr.contains("Unknown option '--pcrs-file'"), "\(fromFile.stderr)")
        #expect(setup.activeSet == before)
        // And its help does not offer what it refuses.
        let help = try CLI.run(["stage", "--help"]).stdout
        #expect(!help.contains("--pcrs-file") && !help.contains("--no-tpm"))
        #expect(try CLI.run(["predict", "--help"]).stdout.contains("--no-tpm"))
    }

    @Test func missingSecretsAndMissingAEMAreInputErrors() throws {
        let setup = try Self.setup()
        for ext in ["txt", "otp", "fre"] {
            try FileManager.default.removeItem(atPath: setup.tree.plaintextSecrets + "/secret.\(ext)")
        }
        let none = try setup.stage(["--yes"])
        #expect(none.status == 2)
        #expect(none.stderr.contains("no secret to seal"))
        try FileManager.default.removeItem(atPath: setup.tree.root + "/var/lib/tpm")
        let notSetUp = try setup.stage(["--yes"])
        #expect(notSetUp.status == 2)
        #expect(notSetUp.stderr.contains("is AEM installed"))
    }

    @Test func mediaCopyFollowsAemUUIDAndRollbackRestoresIt() throws {
        let setup = try Self.setup()
        let tree = setup.tree
        // The AEM device is mounted at /run/media/aem (under --root).
        let mediaSet = tree.root + "/run/media/aem/aem/tpms/\(BootTree.tpmID)/aem"
        try FileManager.default.createDirectory(atPath: mediaSet, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: tree.sealedSet) {
            try FileManager.default.copyItem(atPath: tree.sealedSet + "/" + name, toPath: mediaSet + "/" + name)
        }
        let original = SealedSet.fingerprint(at: mediaSet)
        try FileManager.default.removeItem(atPath: tree.root + "/dev/disk/by-uuid/\(BootTree.bootUUID)")
        try FileManager.default.createSymbolicLink(
            atPath: tree.root + "/dev/disk/by-uuid/\(BootTree.bootUUID)", withDestinationPath: "../../sdb1")
        try tree.mount("/dev/sdb1", at: "/run/media/aem")

        let staged = try setup.stage(["--yes"])
        #expect(staged.status == 0, "\(staged.stderr)")
        #expect(staged.stdout.contains("AEM media:     copied to"))
        let state = try #require(try ResealState.load(from: tree.root + "/var/lib/aem-reseal/state.json"))
        #expect(state.media?.copied == true)
        #expect(SealedSet.fingerprint(at: mediaSet) == SealedSet.fingerprint(at: tree.sealedSet))
        #expect(SealedSet.fingerprint(at: mediaSet) != original)

        let rollback = try CLI.run(["rollback", "--root", tree.root, "--yes"])
        #expect(rollback.status == 0)
        #expect(rollback.stdout.contains("restored on"))
        #expect(SealedSet.fingerprint(at: mediaSet) == original)
    }

    @Test func unmountedMediaIsNotDone() throws {
        let setup = try Self.setup()
        try setup.tree.unmountMedia()
        let result = try setup.stage(["--yes"])
        #expect(result.status == 7)
        #expect(result.stdout.contains("not updated: the AEM device (UUID \(BootTree.bootUUID)) is not mounted"))
        #expect(result.stdout.contains("Do not reboot yet"))
        #expect(!result.stdout.contains("Staged."))
        #expect(result.stderr.contains("do not reboot yet"))
    }

    @Test func stagingTwiceKeepsTheOriginalAsPrevious() throws {
        let setup = try Self.setup()
        try setup.tree.unmountMedia()
        let original = setup.activeSet
        #expect(try setup.stage(["--yes"]).status == 7)
        let staged = setup.activeSet
        #expect(staged != original)
        // The media was not mounted: staging again copies the same set (no
        // new seal) once it is, and is still not done while it is not.
        let again = try setup.stage(["--yes"])
        #expect(again.status == 7)
        #expect(!again.stdout.contains("Nothing to seal"))
        #expect(setup.activeSet == staged)
        try setup.tree.mountBootAsMedia()
        let copied = try setup.stage(["--yes"])
        #expect(copied.status == 0, "\(copied.stderr)")
        #expect(copied.stdout.contains("AEM media:     copied to"), "\(copied.stdout)")
        #expect(setup.activeSet == staged)
        #expect(SealedSet.fingerprint(at: setup.tree.mediaSealedSet) == staged)
        let first = setup.activeSet
        let media = setup.tree.boot
        let once = try setup.stage(["--yes", "--media", media])
        #expect(once.status == 0)
        #expect(
            once.stdout.contains(
                "Nothing to seal: the set staged earlier in this boot is already sealed to these values"))
        #expect(setup.activeSet == first)
        // A second update before the reboot: sealed again, the original stays previous.
        try setup.tree.installXen("4.17.5", seed: 5)
        try setup.tree.writeGrubConfiguration()
        #expect(try setup.stage(["--yes"]).status == 0)
        #expect(setup.activeSet != first)
        #expect(SealedSet.fingerprint(at: setup.tree.root + "/var/lib/aem-reseal/aem/previous") == original)
    }

    /// The next boot unlocks another set of LUKS devices: PCR 13 (carried
    /// over from this boot) would be wrong. Refused unless forced.
    @Test func changedLUKSDevicesAreRefusedUnlessForced() throws {
        let setup = try Self.setup()
        let before = setup.activeSet
        setup.tree.linuxCommandLine += " rd.luks.uuid=luks-0a1b2c3d-0000-1111-2222-333344445555"
        try setup.tree.writeGrubConfiguration()
        let refused = try setup.stage(["--yes"])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("PCR 13 (LUKS headers)"), "\(refused.stdout)")
        #expect(refused.stdout.contains("another set of LUKS devices"))
        #expect(refused.stderr.contains("nothing was sealed"))
        #expect(setup.activeSet == before)
        let forced = try setup.stage(["--yes", "--force"])
        #expect(forced.status == 0)
        #expect(forced.stderr.contains("WARNING: --force"))
    }

    /// A new SINIT ACM changes SINIT's own events: refused, saying so.
    @Test func changedSINITIsRefused() throws {
        let setup = try Self.setup()
        let before = setup.activeSet
        var acm = try setup.tree.directory.read("boot/GM45_GS45_PM45_SINIT_51.BIN")
        acm[acm.count - 1] ^= 0xFF
        try setup.tree.directory.write("boot/GM45_GS45_PM45_SINIT_51.BIN", acm)
        let refused = try setup.stage(["--yes"])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("SINIT ACM / LCP modules"), "\(refused.stdout)")
        #expect(refused.stdout.contains("the secret would not appear at the next boot"))
        #expect(!refused.stdout.contains("will keep working"))
        #expect(setup.activeSet == before)
    }

    /// Nothing the seal covers changed since the boot: nothing is sealed.
    @Test func nothingChangedSealsNothing() throws {
        let setup = try Self.setup()
        // Undo the update of the setup: the entry boots what this boot did.
        try FileManager.default.removeItem(atPath: setup.tree.boot + "/xen-4.17.4.gz")
        try setup.tree.writeGrubConfiguration()
        let before = setup.activeSet
        let result = try setup.stage(["--yes"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Nothing to seal: the next boot's sealed PCRs equal this boot's"))
        #expect(!result.stdout.contains("Reboot dom0"))
        #expect(setup.activeSet == before)
        #expect(!FileManager.default.fileExists(atPath: setup.tree.root + "/var/lib/aem-reseal/state.json"))
    }

    @Test func noSecretInOutputStateOrBackups() throws {
        let setup = try Self.setup()
        let result = try setup.stage(["--yes", "--json"])
        #expect(result.status == 0)
        let secrets = ["Bluebell meadow", "JBSWY3DPEHPK3PXP"]
        let state = String(decoding: try setup.tree.directory.read("var/lib/aem-reseal/state.json"), as: UTF8.self)
        for secret in secrets {
            #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret) && !state.contains(secret))
        }
        for name in try FileManager.default.subpathsOfDirectory(atPath: setup.tree.root + "/var/lib/tpms") {
            let path = setup.tree.root + "/var/lib/tpms/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                continue
            }
            let content = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
            for secret in secrets { #expect(!content.contains(secret), "\(name)") }
        }
    }
}
