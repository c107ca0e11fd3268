import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// The SRK password never costs the user a dictionary-attack attempt it
/// need not: an explicit file wins over AEM's cache, an empty answer or
/// Ctrl-C at the prompt sends nothing (and the terminal gets its echo
/// back), and the last attempt before lockout is never spent.
@Suite(.serialized) struct SRKPasswordTests {
    typealias Setup = StageBehaviourTests.Setup

    @Test func explicitFileWinsOverAWrongCachedPassword() throws {
        let setup = try StageBehaviourTests.setup(srkPassword: "stale")
        let counter = try TPMFaultTests.lockoutCounter(setup.tpm)
        let file = try setup.tree.directory.write("srk.txt", "pw\n", mode: 0o600)
        let result = try setup.stage(["--yes", "--srk-password-file", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try TPMFaultTests.lockoutCounter(setup.tpm) == counter)
    }

    @Test func theLastAttemptBeforeLockoutIsNotSpent() throws {
        let setup = try StageBehaviourTests.setup(srkPassword: "wrong")
        try setup.tpm.tool("tpm2_dictionarylockout", ["-s", "-n", "3", "-t", "3600", "-l", "3600"])
        #expect(try setup.stage(["--yes"]).status == 3)
        #expect(try setup.stage(["--yes"]).status == 3)
        #expect(try TPMFaultTests.lockoutCounter(setup.tpm) == 2)
        let before = TPMFaultTests.snapshot(setup)
        // Even the right password is not tried now: one more failure would lock the TPM.
        let file = try setup.tree.directory.write("srk.txt", "pw\n", mode: 0o600)
        let result = try setup.stage(["--yes", "--srk-password-file", file])
        #expect(result.status == 3)
        #expect(
            result.stderr.contains(
                "counted 2 wrong passwords of 3 allowed; one more would lock it out, so no password was tried"),
            "\(result.stderr)")
        #expect(try TPMFaultTests.lockoutCounter(setup.tpm) == 2)
        // Nothing sealed changed; the journal says the update is pending, and why.
        #expect(TPMFaultTests.snapshot(setup) == before)
        let pending = try #require(
            try ResealState.load(from: setup.tree.directory.path("var/lib/aem-reseal/state.json")))
        #expect(pending.phase == .pending && pending.message?.contains("one more would lock it out") == true)
    }

    static func prompted(_ setup: Setup, keys: [UInt8]) throws -> TerminalSession.Outcome {
        try TerminalSession.run(
            [
                CLI.executable.path, "stage", "--root", setup.tree.root, "--tcti", setup.tpm.tcti, "--event-log",
                setup.log, "--yes",
            ],
            prompt: "TPM SRK password: ", keys: keys)
    }

    @Test(arguments: [
        ("Ctrl-C", [UInt8(0x03)]), ("Ctrl-D", [0x04]), ("Enter", [0x0D]),
        ("typed, then Ctrl-C", Array("pw".utf8) + [0x03]),
    ])
    func aPromptLeftWithoutAPasswordSendsNothingAndRestoresEcho(name: String, keys: [UInt8]) throws {
        let setup = try StageBehaviourTests.setup(srkPassword: nil)
        let counter = try TPMFaultTests.lockoutCounter(setup.tpm)
        let before = setup.activeSet
        let outcome = try Self.prompted(setup, keys: keys)
        #expect(!outcome.echoAtPrompt, "\(name)")
        #expect(outcome.echoAfterExit, "\(name): the terminal was left without echo")
        #expect(outcome.status == 6, "\(name): \(outcome.output)")
        #expect(
            outcome.output.contains("nothing was sent to the TPM")
                || outcome.output.contains("none was sent to the TPM"), "\(name): \(outcome.output)")
        #expect(try TPMFaultTests.lockoutCounter(setup.tpm) == counter, "\(name)")
        #expect(setup.activeSet == before)
    }

    @Test func aPasswordTypedAtThePromptSeals() throws {
        let setup = try StageBehaviourTests.setup(srkPassword: nil)
        let outcome = try Self.prompted(setup, keys: Array("px".utf8) + [0x7F] + Array("w\r".utf8))
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.echoAfterExit)
        #expect(!outcome.output.contains("pxw") && !outcome.output.contains("pw\r"), "the password is not echoed")
    }

    /// AEM's seal service removes its cache once it has sealed at boot (on
    /// TPM 1.2; the genuine TPM 1.2 cycle meets it too). The
    /// record, made before it, keeps whether the SRK password was empty
    /// (never the password): a later non-interactive stage (the rpm
    /// trigger's) seals with the empty password, and says why it cannot
    /// when the SRK has one.
    @Test(arguments: ["", "Xq7 srk secret"])
    func theBootRecordKeepsOnlyWhetherTheSRKPasswordIsEmpty(password: String) throws {
        let tree = try BootTree()
        let kernel = StageBehaviourTests.kernel
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel(kernel, seed: 10)
        try tree.writeGrubConfiguration()
        let booted = try TPM2ToolsBoot.boot(
            tree, chain: tree.chain(flow: .detailsAuthorities, xen: "4.17.3", kernel: kernel),
            srkPassword: password, cachedSRKPassword: password)
        let folder = try #require(
            try FileManager.default.contentsOfDirectory(atPath: tree.directory.path("var/lib/aem-reseal/boots")).first)
        let recordBytes = try tree.directory.read("var/lib/aem-reseal/boots/\(folder)/record.json")
        let record = try JSONSerialization.jsonObject(with: Data(recordBytes)) as? [String: Any]
        #expect(record?["srkPasswordEmpty"] as? Bool == password.isEmpty)
        #expect(!String(decoding: recordBytes, as: UTF8.self).contains("srk secret"))

        // As anti-evil-maid-seal leaves dom0 after sealing at boot.
        try FileManager.default.removeItem(atPath: tree.directory.path("run/anti-evil-maid"))
        try tree.installXen("4.17.4", seed: 2)
        try tree.writeGrubConfiguration()
        let stage = try CLI.run([
            "stage", "--root", tree.root, "--tcti", booted.tpm.tcti, "--event-log", booted.log, "--non-interactive",
        ])
        if password.isEmpty {
            #expect(stage.status == 0, "\(stage.stderr)")
        } else {
            #expect(stage.status == 5, "\(stage.stderr)")
            #expect(stage.stderr.contains("this boot's record says the SRK has a password"), "\(stage.stderr)")
        }
    }
}
