import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// checklist, verify, status and record around a staged update.
@Suite(.serialized) struct CycleCommandTests {
    static let kernel = "6.6.21"

    /// A booted chain, AEM's seal (its tpm2-tools commands), a Xen update, the AEM media
    /// mounted (its copy of the set in place), AEM's seal service
    /// enabled, and `stage` done.
    struct Cycle {
        var tree: BootTree
        var tpm: SoftwareTPM
        var log: String
        var media: String

        var common: [String] { ["--root", tree.root, "--tcti", tpm.tcti, "--event-log", log] }

        /// `status` and `rollback` never talk to the TPM and take no --tcti.
        func run(_ command: String, _ extra: [String] = []) throws -> CLI.Result {
            let options =
                ["status", "rollback"].contains(command) ? ["--root", tree.root, "--event-log", log] : common
            return try CLI.run([command] + options + extra)
        }

        func checklist() throws -> (CLI.Result, [String: String]) {
            let result = try run("checklist", ["--media", media, "--json"])
            let items = (try result.json()["items"] as? [[String: Any]]) ?? []
            var statuses = [String: String]()
            for item in items { statuses[item["id"] as! String] = item["status"] as? String }
            return (result, statuses)
        }

        /// Power cycle and boot `xen`: a new `btime`, PCRs of that chain.
        func reboot(xen: String) throws {
            try tpm.powerCycle()
            try tree.startBoot()
            _ = try BootSimulator.boot(
                tree.chain(flow: .detailsAuthorities, xen: xen, kernel: CycleCommandTests.kernel), on: tpm)
        }
    }

    static func cycle(stage: Bool = true) throws -> Cycle {
        let tree = try BootTree()
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel(kernel, seed: 10)
        try tree.writeGrubConfiguration()
        try tree.directory.write("usr/lib/systemd/system/basic.target.wants/anti-evil-maid-seal.service", "[Unit]\n")
        let booted = try TPM2ToolsBoot.boot(
            tree, chain: tree.chain(flow: .detailsAuthorities, xen: "4.17.3", kernel: kernel), srkPassword: "pw",
            cachedSRKPassword: "pw")
        let (tpm, log) = (booted.tpm, booted.log)
        let media = tree.root + "/media/aem"
        try FileManager.default.createDirectory(
            atPath: media + "/aem/tpms/\(BootTree.tpmID)", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: tree.sealedSet, toPath: media + "/aem/tpms/\(BootTree.tpmID)/aem")
        try tree.installXen("4.17.4", seed: 2)
        try tree.writeGrubConfiguration()
        let cycle = Cycle(tree: tree, tpm: tpm, log: log, media: media)
        if stage {
            let staged = try cycle.run("stage", ["--yes", "--media", media])
            #expect(staged.status == 0, "\(staged.stderr)")
        }
        return cycle
    }

    @Test func checklistPassesWhenReadyAndEachItemFailsOnItsOwnFault() throws {
        let cycle = try Self.cycle()
        let tree = cycle.tree
        let (ready, statuses) = try cycle.checklist()
        #expect(ready.status == 0, "\(statuses)")
        #expect(try ready.json()["ready"] as? Bool == true)
        #expect(statuses.count == 12)
        #expect(statuses.values.allSatisfy { $0 == "pass" }, "\(statuses)")

        let wants = tree.root + "/usr/lib/systemd/system/basic.target.wants/anti-evil-maid-seal.service"
        let previous = tree.root + "/var/lib/aem-reseal/aem/previous"
        let mediaSet = cycle.media + "/aem/tpms/\(BootTree.tpmID)/aem"
        let secret = tree.plaintextSecrets
        let faults: [(item: String, apply: () throws -> Void, revert: () throws -> Void, extra: [String])] = [
            ("tpm", {}, {}, ["--tcti", "swtpm:host=127.0.0.1,port=1"]),
            (
                "aem-configuration", { try FileManager.default.moveItem(atPath: secret, toPath: secret + ".away") },
                { try FileManager.default.moveItem(atPath: secret + ".away", toPath: secret) }, []
            ),
            (
                "grub-entry", { try tree.writeGrubConfiguration(savedEntry: "Qubes, with Xen hypervisor") },
                { try tree.writeGrubConfiguration() }, []
            ),
            (
                "newest-xen", { try tree.installXen("4.17.5", seed: 5) },
                { try FileManager.default.removeItem(atPath: tree.boot + "/xen-4.17.5.gz") }, []
            ),
            (
                "seal-pcrs",
                {
                    try tree.directory.write(
                        "etc/anti-evil-maid.conf", "SEAL=\"--pcr 13 --pcr 17 --pcr 18 --pcr 19\"\n")
                },
                { try tree.directory.write("etc/anti-evil-maid.conf", "SEAL=\"--pcr 13 --pcr 17 --pcr 18\"\n") }, []
            ),
            (
                "self-check",
                {
                    try tree.directory.write(
                        "wrong.json", "{\"sha256\": {\"17\": \"\(String(repeating: "1", count: 64))\"}}")
                }, {},
                ["--pcrs-file", tree.root + "/wrong.json"]
            ),
            (
                // Xen replaced by other bytes than its package's, not by rpm.
                "provenance", { try tree.installXen("4.17.4", seed: 9, packaged: false) },
                { try tree.installXen("4.17.4", seed: 2) }, []
            ),
            (
                "staged-seal", { try tree.rebuildInitramfs(Self.kernel, seed: 77) },
                { try tree.rebuildInitramfs(Self.kernel, seed: 11) }, []
            ),
            (
                "previous-seal", { try FileManager.default.moveItem(atPath: previous, toPath: previous + ".away") },
                { try FileManager.default.moveItem(atPath: previous + ".away", toPath: previous) }, []
            ),
            (
                "media", { try FileManager.default.removeItem(atPath: mediaSet + "/key.priv") },
                {
                    try FileManager.default.copyItem(
                        atPath: tree.sealedSet + "/key.priv", toPath: mediaSet + "/key.priv")
                }, []
            ),
            (
                "seal-service", { try FileManager.default.removeItem(atPath: wants) },
                {
                    try tree.directory.write(
                        "usr/lib/systemd/system/basic.target.wants/anti-evil-maid-seal.service", "[Unit]\n")
                }, []
            ),
        ]
        for fault in faults {
            try fault.apply()
            let result = try CLI.run(["checklist"] + cycle.common + ["--media", cycle.media, "--json"] + fault.extra)
            let items = (try result.json()["items"] as? [[String: Any]]) ?? []
            let item = items.first { $0["id"] as? String == fault.item }
            #expect(item?["status"] as? String == "fail", "\(fault.item): \(items)")
            #expect((item?["fix"] as? String)?.isEmpty == false, "\(fault.item)")
            #expect(result.status == 1, "\(fault.item)")
            try fault.revert()
        }
        // No boot record for this boot: a warning that says why, with the fix.
        let boots = tree.root + "/var/lib/aem-reseal/boots"
        try FileManager.default.moveItem(atPath: boots, toPath: boots + ".away")
        let unrecorded = try CLI.run(["checklist"] + cycle.common + ["--media", cycle.media, "--json"])
        let record = ((try unrecorded.json()["items"] as? [[String: Any]]) ?? []).first {
            $0["id"] as? String == "boot-record"
        }
        #expect(record?["status"] as? String == "warning", "\(unrecorded.stdout)")
        #expect((record?["fix"] as? String)?.contains("sudo aem-reseal record") == true)
        try FileManager.default.moveItem(atPath: boots + ".away", toPath: boots)
        // Human output ends with the verdict.
        let human = try cycle.run("checklist", ["--media", cycle.media])
        #expect(human.status == 0)
        #expect(human.stdout.hasSuffix("Ready to reboot.\n"))
    }

    @Test func verifyHeldThenStatusVerifiedAndOldBackupsPruned() throws {
        let cycle = try Self.cycle()
        #expect(try cycle.run("status", ["--json"]).json()["status"] as? String == "staged")
        let early = try cycle.run("verify")
        #expect(early.status == 2)
        #expect(early.stderr.contains("not rebooted"))

        try cycle.reboot(xen: "4.17.4")
        #expect(try cycle.run("status", ["--json"]).json()["status"] as? String == "rebooted")
        let verified = try cycle.run("verify")
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("The prediction held"))
        #expect(verified.stdout.contains("PCR 17  held (sealed)"))
        #expect(try cycle.run("status", ["--json"]).json()["status"] as? String == "verified")
    }

    @Test func verifyBrokenPredictionIsSaidPlainly() throws {
        let cycle = try Self.cycle()
        try cycle.reboot(xen: "4.17.3")  // the old chain, not the predicted one
        let result = try cycle.run("verify", ["--json"])
        #expect(result.status == 1)
        let json = try result.json()
        #expect(json["held"] as? Bool == false)
        #expect((json["verification"] as? [String: [String: String]])?["sha256"]?["17"] == "differs")
        #expect((json["verification"] as? [String: [String: String]])?["sha256"]?["18"] == "held")
        let human = try cycle.run("verify")
        #expect(human.stdout.contains("did NOT hold"))
        #expect(human.stdout.contains("possibly compromised"))
        #expect(try cycle.run("status", ["--json"]).json()["status"] as? String == "mismatch")
    }

    @Test func statusBeforeAnythingAndAfterRollback() throws {
        let cycle = try Self.cycle(stage: false)
        let nothing = try cycle.run("status", ["--json"])
        #expect(try nothing.json()["status"] as? String == "nothing-pending")
        #expect(try cycle.run("stage", ["--yes"]).status == 0)
        let rollback = try CLI.run(["rollback", "--root", cycle.tree.root, "--yes"])
        #expect(rollback.status == 0)
        // GRUB's default entry still boots the update's Xen: said, with the ways out.
        #expect(
            rollback.stdout.contains("Next boot: GRUB's default entry still loads the updated /xen-4.17.4.gz"),
            "\(rollback.stdout)")
        #expect(rollback.stdout.contains("a normal boot will NOT show the secret"))
        let status = try cycle.run("status")
        #expect(status.stdout.hasPrefix("Rolled back"))

        // The update undone (the old Xen the default again): the previous seal opens on it.
        #expect(try cycle.run("stage", ["--yes"]).status == 0)
        try FileManager.default.removeItem(atPath: cycle.tree.boot + "/xen-4.17.4.gz")
        try cycle.tree.writeGrubConfiguration()
        let undone = try CLI.run(["rollback", "--root", cycle.tree.root, "--yes"])
        #expect(undone.status == 0, "\(undone.stderr)")
        #expect(undone.stdout.contains("loads none of the files the update brought"), "\(undone.stdout)")
    }

    @Test func recordThenPredictFromTheRecordWithItsDigestsAsEvidence() throws {
        let tree = try BootTree()
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel(Self.kernel, seed: 10)
        try tree.writeGrubConfiguration()
        let tpm = try SoftwareTPM()
        let log = try tree.directory.write(
            "drtm.log",
            try BootSimulator.boot(tree.chain(flow: .detailsAuthorities, xen: "4.17.3", kernel: Self.kernel), on: tpm))
        let record = try CLI.run(["record", "--root", tree.root, "--tcti", tpm.tcti, "--event-log", log])
        #expect(record.status == 0, "\(record.stderr)")
        #expect(record.stdout.contains("3 recorded"))
        let folders = try FileManager.default.contentsOfDirectory(atPath: tree.root + "/var/lib/aem-reseal/boots")
        #expect(folders.count == 1)

        // Xen replaced in place under the same name: only the record can
        // tell (the file does not reproduce, and no other Xen does).
        try tree.installXen("4.17.3", seed: 2)
        let predict = try CLI.run(["predict", "--root", tree.root, "--tcti", tpm.tcti, "--json"])
        #expect(predict.status == 0, "\(predict.stderr)")
        let json = try predict.json()
        #expect((json["eventLog"] as? [String: String])?["source"]?.hasPrefix("boot record") == true)
        let modules = try #require(json["modules"] as? [[String: Any]])
        #expect(
            (modules[0]["imageChange"] as? [String: String])?["evidence"]
                == "SHA-256 differs from the one recorded at boot")
        #expect((modules[1]["imageChange"] as? [String: String])?["evidence"] == "same SHA-256 as recorded at boot")
        #expect((json["selfCheck"] as? [String: Any])?["status"] as? String == "ok")
        // Incremental: the kernel and initramfs the record proved are only
        // fingerprinted (no image digests computed); the changed Xen is loaded.
        let imageDigests = modules.map { ($0["imageDigests"] as? [String: String]) ?? [:] }
        #expect(!imageDigests[0].isEmpty)
        #expect(imageDigests[1].isEmpty && imageDigests[2].isEmpty)
        // Their measurements are still the logged ones.
        for module in modules.dropFirst() {
            #expect((module["digests"] as? [String: String]) == (module["currentDigests"] as? [String: String]))
        }
    }

    /// A log of another boot is not evidence of this one.
    @Test func recordRefusesALogThatIsNotThisBoots() throws {
        let tree = try BootTree()
        try tree.installXen("4.17.3", seed: 1)
        try tree.installXen("4.17.4", seed: 2)
        try tree.installKernel(Self.kernel, seed: 10)
        try tree.writeGrubConfiguration()
        let tpm = try SoftwareTPM()
        let old = try tree.directory.write(
            "old.log",
            try BootSimulator.boot(tree.chain(flow: .detailsAuthorities, xen: "4.17.3", kernel: Self.kernel), on: tpm))
        try tpm.powerCycle()
        _ = try BootSimulator.boot(tree.chain(flow: .detailsAuthorities, xen: "4.17.4", kernel: Self.kernel), on: tpm)

        let record = try CLI.run(["record", "--root", tree.root, "--tcti", tpm.tcti, "--event-log", old])
        #expect(record.status == 1)
        #expect(record.stderr.contains("is not this boot's DRTM log; nothing was recorded"), "\(record.stderr)")
        #expect(record.stderr.contains("PCR 17"))
        #expect(!FileManager.default.fileExists(atPath: tree.root + "/var/lib/aem-reseal/boots"))
    }
}

/// Without root the state cannot be read: the commands say so instead of
/// a false "nothing pending" or "no seal staged".
@Suite struct NonRootAnswerTests {
    @Test func unreadableStateSaysRunWithSudo() throws {
        let tree = try BootTree()
        let state = tree.root + "/var/lib/aem-reseal"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try tree.directory.write("var/lib/aem-reseal/state.json", "{}", mode: 0o600)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: state)
        // A copy nobody can run: the build folder may sit in a private one (CI's clone does).
        let binary = try tree.directory.write("aem-reseal", Array(try Data(contentsOf: CLI.executable)), mode: 0o755)
        for command in ["status", "checklist", "verify"] {
            let noTPM = command == "checklist" ? ["--no-tpm"] : []
            let result = try Command.run(
                "runuser", ["-u", "nobody", "--", binary, command, "--root", tree.root] + noTPM)
            #expect(result.status == 2, "\(command): \(result.stdout) \(result.stderr)")
            #expect(
                result.stderr.contains("permission denied. The state is root's: run this with sudo"),
                "\(command): \(result.stderr)")
            #expect(!result.stderr.contains(".lock"), "\(command): \(result.stderr)")
            #expect(!result.stdout.contains("Nothing pending"))
        }
    }

    @Test func aMistypedRootGetsNothingCreated() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path("no-such-root")
        let result = try CLI.run(["rollback", "--root", missing, "--yes"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("is not an existing folder; nothing was created"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing))
    }
}
