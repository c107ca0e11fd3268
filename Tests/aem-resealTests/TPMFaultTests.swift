import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// TPM faults during `stage`: each gives a specific message, changes no
/// file, and costs at most the one failed authorization.
@Suite(.serialized) struct TPMFaultTests {
    typealias Setup = StageBehaviourTests.Setup

    static func lockoutCounter(_ tpm: SoftwareTPM) throws -> Int {
        let properties = try tpm.tool("tpm2_getcap", ["properties-variable"])
        guard let line = properties.split(separator: "\n").first(where: { $0.contains("TPM2_PT_LOCKOUT_COUNTER") }),
            let hex = line.split(separator: ":").last?.trimmingCharacters(in: .whitespaces),
            let value = Int(hex.dropFirst(2), radix: 16)
        else { throw Command.Failure(description: "no lockout counter in tpm2_getcap output") }
        return value
    }

    /// Everything under the sealed-set and state folders, by fingerprint,
    /// but the state file: a stage that sealed nothing records the update
    /// as pending there (`aFailedStageLeavesTheUpdatePendingUntilAStageSettlesIt`).
    static func snapshot(_ setup: Setup) -> [String: String] {
        var result = [String: String]()
        for folder in ["var/lib/tpms", "var/lib/aem-reseal", "var/lib/anti-evil-maid"] {
            let base = setup.tree.root + "/" + folder
            // The run lock is not state: every run takes it.
            for path in (try? FileManager.default.subpathsOfDirectory(atPath: base)) ?? []
            where !path.hasSuffix(".lock") && !(folder == "var/lib/aem-reseal" && path == "state.json") {
                if let data = FileManager.default.contents(atPath: base + "/" + path) {
                    result[folder + "/" + path] = HashAlgorithm.sha256.hash(Array(data)).hex
                }
            }
        }
        return result
    }

    @Test func wrongSRKPasswordCostsExactlyOneFailedAttempt() throws {
        let setup = try StageBehaviourTests.setup(srkPassword: "wrong")
        let before = Self.snapshot(setup)
        let counter = try Self.lockoutCounter(setup.tpm)
        let result = try setup.stage(["--yes"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("refused the SRK password"))
        #expect(Self.snapshot(setup) == before)
        #expect(try Self.lockoutCounter(setup.tpm) == counter + 1)
    }

    @Test func dictionaryAttackLockoutIsNamed() throws {
        let setup = try StageBehaviourTests.setup(srkPassword: "wrong")
        try setup.tpm.tool("tpm2_dictionarylockout", ["-s", "-n", "1", "-t", "3600", "-l", "3600"])
        _ = try setup.stage(["--yes"])  // the one failure that trips the lockout
        try setup.tree.directory.write("run/anti-evil-maid/srk-password", "pw\n")
        let before = Self.snapshot(setup)
        let result = try setup.stage(["--yes"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("dictionary-attack lockout"))
        #expect(Self.snapshot(setup) == before)
    }

    @Test func missingSRKIsNamed() throws {
        let setup = try StageBehaviourTests.setup()
        try setup.tpm.tool("tpm2_evictcontrol", ["-C", "o", "-c", "0x81000001"])
        let before = Self.snapshot(setup)
        let result = try setup.stage(["--yes"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("finding AEM's storage root key at 0x81000001"))
        #expect(Self.snapshot(setup) == before)
    }

    @Test func fullObjectMemoryIsNamed() throws {
        let setup = try StageBehaviourTests.setup()
        // Without a resource manager, loaded objects stay until flushed.
        var filled = 0
        for index in 0..<8 {
            let result = try setup.tpm.toolResult(
                "tpm2_createprimary", ["-Q", "-C", "o", "-c", setup.tree.root + "/primary\(index).ctx"])
            if result.status != 0 { break }
            filled += 1
        }
        #expect(filled >= 1)
        let before = Self.snapshot(setup)
        let result = try setup.stage(["--yes"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("no room for another object"))
        #expect(Self.snapshot(setup) == before)
    }

    @Test func swtpmStoppedInTheMiddleOfStage() throws {
        let setup = try StageBehaviourTests.setup()
        let before = Self.snapshot(setup)
        let result = try setup.stage(
            ["--yes"],
            environment: [
                "AEM_RESEAL_FAULT_POINTS_ENABLE": "i-am-a-test", "AEM_RESEAL_FAULT_POINT": "seal:begin",
                "AEM_RESEAL_FAULT_COMMAND": "swtpm_ioctl --tcp 127.0.0.1:\(setup.tpm.controlPort) -s",
            ])
        #expect(result.status == 3)
        #expect(result.stderr.contains("cannot open the TPM to seal"))
        #expect(Self.snapshot(setup) == before)
    }

    @Test func secondRunWaitsForTheFirstAndStateIsNotInterleaved() throws {
        let setup = try StageBehaviourTests.setup()
        #expect(try setup.stage(["--yes"]).status == 0)
        // A second update, so that the next stage has something to seal.
        try setup.tree.installXen("4.17.5", seed: 5)
        try setup.tree.writeGrubConfiguration()
        // A slow stage (held at the start of sealing) and a rollback started meanwhile.
        let slowStage = Process()
        slowStage.executableURL = CLI.executable
        slowStage.arguments = [
            "stage", "--root", setup.tree.root, "--tcti", setup.tpm.tcti, "--event-log", setup.log, "--yes",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["AEM_RESEAL_FAULT_POINTS_ENABLE"] = "i-am-a-test"
        environment["AEM_RESEAL_FAULT_POINT"] = "seal:begin"
        environment["AEM_RESEAL_FAULT_COMMAND"] = "sleep 3"
        slowStage.environment = environment
        slowStage.standardOutput = FileHandle.nullDevice
        slowStage.standardError = FileHandle.nullDevice
        try slowStage.run()
        usleep(1_500_000)
        let rollback = try CLI.run(["rollback", "--root", setup.tree.root, "--yes"])
        slowStage.waitUntilExit()
        #expect(slowStage.terminationStatus == 0)
        #expect(rollback.status == 0, "\(rollback.stderr)")
        #expect(rollback.stderr.contains("waiting for another run (aem-reseal stage"))
        let state = try #require(try ResealState.load(from: setup.tree.root + "/var/lib/aem-reseal/state.json"))
        #expect(state.phase == .rolledBack)

        // With a short timeout the second run gives up with the holder's name.
        let held = try RunLockHolder(directory: setup.tree.root + "/var/lib/aem-reseal")
        let busy = try CLI.run(
            ["rollback", "--root", setup.tree.root, "--yes"], environment: ["AEM_RESEAL_LOCK_TIMEOUT": "0.5"])
        #expect(busy.status == 75)
        #expect(busy.stderr.contains("another aem-reseal run (test holder"))
        withExtendedLifetime(held) {}
    }

    @Test func sealedKeyRefusesPasswordsOtherTPMsAndOtherPCRs() throws {
        let setup = try StageBehaviourTests.setup()
        #expect(try setup.stage(["--yes"]).status == 0)
        let set = setup.tree.sealedSet
        // No password opens it: the object has no userWithAuth.
        let withPassword = try Command.run(
            "bash",
            [
                "-c",
                """
                set -e; trap 'tpm2_flushcontext -t' EXIT
                tpm2_load -Q -C 0x81000001 -P str:pw --private \(set)/key.priv --public \(set)/key.pub -c /tmp/aem-k-$$.ctx
                tpm2_unseal -Q -c /tmp/aem-k-$$.ctx -p ""
                """,
            ], environment: ["TPM2TOOLS_TCTI": setup.tpm.tcti, "TSS2_LOG": "all+none"])
        #expect(withPassword.status != 0)
        // Current PCRs (the old chain) do not satisfy the policy.
        #expect(try TPM2ToolsSeal.unseal(on: setup.tpm, sealed: set, secret: "txt", srkPassword: "pw") == nil)
        // Another TPM with an SRK of its own cannot even load it.
        let other = try SoftwareTPM()
        try TPM2ToolsSeal.provisionSRK(on: other, password: "pw")
        #expect(try TPM2ToolsSeal.unseal(on: other, sealed: set, secret: "txt", srkPassword: "pw") == nil)
    }

    @Test func sealedFilesAndBackupsArePrivate() throws {
        let setup = try StageBehaviourTests.setup()
        #expect(try setup.stage(["--yes"]).status == 0)
        for folder in [
            setup.tree.sealedSet, setup.tree.root + "/var/lib/aem-reseal/aem/previous",
            setup.tree.root + "/var/lib/aem-reseal",
        ] {
            let attributes = try FileManager.default.attributesOfItem(atPath: folder)
            #expect(attributes[.posixPermissions] as? Int == 0o700, "\(folder)")
            #expect(attributes[.ownerAccountID] as? Int == Int(getuid()))
        }
        for folder in [setup.tree.sealedSet, setup.tree.root + "/var/lib/aem-reseal/aem/previous"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
                let mode =
                    try FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.posixPermissions] as? Int
                #expect(mode == 0o600, "\(folder)/\(name)")
            }
        }
        let state = try FileManager.default.attributesOfItem(atPath: setup.tree.root + "/var/lib/aem-reseal/state.json")
        #expect(state[.posixPermissions] as? Int == 0o600)
    }
}

/// Holds aem-reseal's run lock from the test process.
final class RunLockHolder {
    let descriptor: Int32

    init(directory: String) throws {
        descriptor = open(directory + "/.lock", O_RDWR | O_CREAT, 0o600)
        guard descriptor >= 0, flock(descriptor, LOCK_EX) == 0 else {
            throw Command.Failure(description: "cannot lock")
        }
        let note = Array("test holder, pid \(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = note.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
