import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// Files the cycle depends on that exist but cannot be read are reported
/// as what they are, with status 2 (bad input), never taken for absent: a
/// corrupt state file would otherwise skip crash recovery, and an
/// unreadable AEM configuration would be replaced by stock AEM's default.
/// Nothing is sealed or changed.
@Suite(.serialized) struct UnreadableInputTests {
    static let stateFile = "var/lib/aem-reseal/state.json"

    /// A booted chain with AEM's seal, a Xen update staged, then the state
    /// file damaged.
    static func stagedWithCorruptState() throws -> StageBehaviourTests.Setup {
        let setup = try StageBehaviourTests.setup()
        let staged = try setup.stage(["--yes"])
        #expect(staged.status == 0, "\(staged.stderr)")
        try setup.tree.directory.write(stateFile, "{\"phase\": \"staged\", \"trunc")
        return setup
    }

    @Test(arguments: ["stage", "verify", "rollback", "status"])
    func aCorruptStateFileIsReportedNotSkipped(command: String) throws {
        let setup = try Self.stagedWithCorruptState()
        let active = setup.activeSet
        let arguments: [String]
        switch command {
        case "stage":
            arguments = [
                "stage", "--root", setup.tree.root, "--tcti", setup.tpm.tcti, "--event-log", setup.log, "--yes",
            ]
        case "verify": arguments = ["verify", "--root", setup.tree.root, "--tcti", setup.tpm.tcti]
        case "rollback": arguments = ["rollback", "--root", setup.tree.root, "--event-log", setup.log, "--yes"]
        default: arguments = ["status", "--root", setup.tree.root]
        }
        let run = try CLI.run(arguments)
        #expect(run.status == 2, "\(command): \(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("state.json is unreadable"), "\(command): \(run.stderr)")
        #expect(run.stderr.contains("never guessed"))
        #expect(setup.activeSet == active, "\(command) changed nothing")
        #expect(try setup.tree.directory.read(Self.stateFile) == Array("{\"phase\": \"staged\", \"trunc".utf8))
    }

    /// AEM's configuration as a folder (a file root cannot read, which a
    /// root test cannot make by permissions): an error, not "not found,
    /// assuming stock AEM's SEAL".
    @Test func anUnreadableAEMConfigurationIsNotTakenForAbsent() throws {
        let setup = try StageBehaviourTests.setup()
        let path = setup.tree.directory.path("etc/anti-evil-maid.conf")
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let predict = try CLI.run([
            "predict", "--root", setup.tree.root, "--tcti", setup.tpm.tcti, "--event-log", setup.log,
        ])
        #expect(predict.status == 2, "\(predict.stdout)\(predict.stderr)")
        #expect(predict.stderr.contains("cannot read AEM's configuration"), "\(predict.stderr)")
        #expect(predict.stderr.contains("not a regular file"))
        #expect(!predict.stdout.contains("assuming stock AEM") && !predict.stderr.contains("assuming stock AEM"))
        let checklist = try CLI.run([
            "checklist", "--root", setup.tree.root, "--tcti", setup.tpm.tcti, "--event-log", setup.log, "--json",
        ])
        let item = try #require(
            (try checklist.json()["items"] as? [[String: Any]])?.first { $0["id"] as? String == "aem-configuration" })
        #expect(item["status"] as? String == "fail")
        #expect((item["detail"] as? String)?.contains("not a regular file") == true, "\(item)")
        #expect((item["detail"] as? String)?.contains("is missing") == false, "\(item)")
    }

    /// This boot's snapshot of /boot damaged: reported with the file, not
    /// taken for a boot `record` never saw, and never answered with "record
    /// again" (which would destroy the evidence of how the boot began).
    @Test func aCorruptBootSnapshotIsReported() throws {
        let setup = try StageBehaviourTests.setup()
        let stamp = try #require(try SystemLayout(root: setup.tree.root).bootTimeSeconds())
        let snapshot = "var/lib/aem-reseal/boots/\(stamp)/\(BootFileSnapshot.fileName)"
        #expect(FileManager.default.fileExists(atPath: setup.tree.directory.path(snapshot)), "record took one")
        try setup.tree.directory.write(snapshot, "{\"files\": [")
        let active = setup.activeSet
        let stage = try setup.stage(["--yes"])
        #expect(stage.status == 2, "\(stage.stdout)\(stage.stderr)")
        #expect(stage.stderr.contains("cannot read this boot's snapshot of /boot"), "\(stage.stderr)")
        #expect(stage.stderr.contains(BootFileSnapshot.fileName))
        // Never the advice to record again: that would take /boot as it is now for the boot's own.
        #expect(!stage.stderr.contains("record` again") && !stage.stderr.contains("aside"), "\(stage.stderr)")
        #expect(setup.activeSet == active)
    }

    /// A fact of the machine that exists but cannot be read (made a folder,
    /// as root cannot be refused by permissions): `stage` stops with status
    /// 2 and names it, never reads it as absent ("no boot time", "no
    /// record", "no TPM", "no console"), and nothing is sealed. The mount
    /// table unreadable: GRUB's `search --fs-uuid` cannot be evaluated, so
    /// it stops before any seal too. The reason is in words, never Swift's.
    @Test(arguments: [
        ("proc/stat", "cannot read the boot time", Int32(2)),
        ("sys/class/tpm/tpm0/tpm_version_major", "cannot read the TPM's version", 2),
        ("var/lib/aem-reseal/boots/STAMP/record.json", "this boot's record", 2),
        ("var/log/xen/console/hypervisor.log", "cannot read Xen's console log", 2),
        ("run/anti-evil-maid/suffix", "AEM's installation cannot be read", 2),
        ("proc/self/mountinfo", "cannot read which file system /boot is", 2),
    ])
    func anUnreadableFactOfTheMachineIsAnErrorNeverAbsent(relative: String, words: String, status: Int32) throws {
        let setup = try StageBehaviourTests.setup()
        let stamp = try #require(try SystemLayout(root: setup.tree.root).bootTimeSeconds())
        let path = setup.tree.directory.path(relative.replacingOccurrences(of: "STAMP", with: "\(stamp)"))
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let active = setup.activeSet
        // Xen's console is read only when no log is named.
        let log = relative.hasPrefix("var/log/xen") ? [] : ["--event-log", setup.log]
        let stage = try CLI.run(
            ["stage", "--root", setup.tree.root, "--tcti", setup.tpm.tcti, "--yes"] + log
                + (relative.hasPrefix("sys/") ? [] : ["--tpm-version", "2.0"]))
        #expect(stage.status == status, "\(relative): \(stage.stdout)\(stage.stderr)")
        #expect((stage.stderr + stage.stdout).contains(words), "\(relative): \(stage.stdout)\(stage.stderr)")
        #expect(stage.stderr.contains("not a regular file (folder)"), "\(relative): \(stage.stderr)")
        if status == 2 { #expect(setup.activeSet == active, "\(relative): nothing was sealed") }
    }
}
