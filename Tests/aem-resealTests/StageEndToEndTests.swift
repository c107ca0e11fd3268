import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// A whole update cycle on a real TPM (swtpm), with AEM's own TPM commands (tpm2-tools, `TPM2ToolsSeal`)
/// commands doing the sealing before and the unsealing at boot.
@Suite(.serialized) struct StageEndToEndTests {
    static let srkPassword = "srk pass phrase"
    static let kernel = "6.6.21-1.qubes.fc37.x86_64"

    @Test func sealedAheadTheNextBootUnsealsWithAEMsTPMCommands() throws {
        let tree = try BootTree()
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel(Self.kernel, seed: 10)
        try tree.writeGrubConfiguration()
        try tree.installAEM(srkPassword: Self.srkPassword)
        let tpm = try SoftwareTPM()
        try TPM2ToolsSeal.provisionSRK(on: tpm, password: Self.srkPassword)

        // Boot 1, and AEM's own seal during it.
        let oldChain = tree.chain(flow: .detailsAuthorities, xen: "4.17.3", kernel: Self.kernel)
        let log = try tree.directory.write("drtm.log", try BootSimulator.boot(oldChain, on: tpm))
        try tree.recordBoot(["--tcti", tpm.tcti, "--event-log", log])
        try TPM2ToolsSeal.seal(
            on: tpm, plaintext: tree.plaintextSecrets, sealed: tree.sealedSet, pcrs: [13, 17, 18],
            srkPassword: Self.srkPassword)
        try tree.copySealedSetToMedia()
        #expect(
            try TPM2ToolsSeal.unseal(on: tpm, sealed: tree.sealedSet, secret: "txt", srkPassword: Self.srkPassword)
                == Array(BootTree.secretText.utf8))
        let stockKey = try tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub")

        // The update, then stage.
        try tree.installXen("4.17.4", seed: 2)
        try tree.writeGrubConfiguration()
        let stage = try CLI.run(["stage", "--root", tree.root, "--tcti", tpm.tcti, "--event-log", log, "--yes"])
        #expect(stage.status == 0, "\(stage.stderr)")
        #expect(stage.stdout.contains("Reboot dom0 now"))
        #expect(stage.stdout.contains("Do not type your disk passphrase on a hunch"))
        #expect(!stage.stdout.contains(BootTree.secretText.trimmingCharacters(in: .newlines)))

        // AEM's file layout and permissions.
        #expect(
            try String(decoding: tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pcrs"), as: UTF8.self)
                == "sha256:13,17,18\n")
        for name in [
            "key.pub", "key.priv", "key.pcrs", "secret.txt.sealed2", "secret.otp.sealed2", "secret.fre.sealed2",
        ] {
            let attributes = try FileManager.default.attributesOfItem(atPath: tree.sealedSet + "/" + name)
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(name)")
        }
        #expect((try FileManager.default.attributesOfItem(atPath: tree.sealedSet)[.posixPermissions] as? Int) == 0o700)
        // The stock set is kept as the previous one.
        #expect(try tree.directory.read("var/lib/aem-reseal/aem/previous/key.pub") == stockKey)
        // Not unsealable yet: this boot's PCRs are not the predicted ones.
        #expect(
            try TPM2ToolsSeal.unseal(on: tpm, sealed: tree.sealedSet, secret: "txt", srkPassword: Self.srkPassword)
                == nil)

        // Boot 2: the new chain. AEM's unseal commands open every secret.
        try tpm.powerCycle()
        _ = try BootSimulator.boot(tree.chain(flow: .detailsAuthorities, xen: "4.17.4", kernel: Self.kernel), on: tpm)
        for (ext, expected) in [
            ("txt", Array(BootTree.secretText.utf8)), ("otp", Array("JBSWY3DPEHPK3PXP\n".utf8)),
            ("fre", testBytes(20, seed: 99)),
        ] {
            #expect(
                try TPM2ToolsSeal.unseal(on: tpm, sealed: tree.sealedSet, secret: ext, srkPassword: Self.srkPassword)
                    == expected, "\(ext)")
        }

        // Boot 2 again with one byte of Xen flipped: the secret stays sealed.
        let tampered = try tree.tamperedCopy(of: tree.boot + "/xen-4.17.4.gz")
        var evilChain = tree.chain(flow: .detailsAuthorities, xen: "4.17.4", kernel: Self.kernel)
        evilChain.modules[0].file = tampered
        try tpm.powerCycle()
        _ = try BootSimulator.boot(evilChain, on: tpm)
        #expect(
            try TPM2ToolsSeal.unseal(on: tpm, sealed: tree.sealedSet, secret: "txt", srkPassword: Self.srkPassword)
                == nil)

        // Rollback: the old chain unseals again.
        let rollback = try CLI.run(["rollback", "--root", tree.root, "--yes"])
        #expect(rollback.status == 0, "\(rollback.stderr)")
        #expect(try tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub") == stockKey)
        try tpm.powerCycle()
        _ = try BootSimulator.boot(oldChain, on: tpm)
        #expect(
            try TPM2ToolsSeal.unseal(on: tpm, sealed: tree.sealedSet, secret: "txt", srkPassword: Self.srkPassword)
                == Array(BootTree.secretText.utf8))
    }

    /// Stage for Xen A, reboot into it without `verify` while AEM
    /// reseals the active folder in place (our id file stays there), then
    /// stage for Xen B: the set that opens on the running boot must become
    /// `previous`, checklist must prove it opens, and rollback restores it.
    @Test func secondStageAfterARebootKeepsTheSetThatOpensNow() throws {
        let (tree, tpm, log1) = try Self.bootedWithStockSeal()

        try tree.installXen("4.17.4", seed: 2)
        try tree.writeGrubConfiguration()
        #expect(
            try CLI.run(["stage", "--root", tree.root, "--tcti", tpm.tcti, "--event-log", log1, "--yes"]).status == 0)

        // Boot 2 into Xen 4.17.4; AEM's seal (its tpm2-tools commands) reseals in place.
        try tpm.powerCycle()
        try tree.startBoot()
        let log2 = try tree.directory.write(
            "drtm2.log",
            try BootSimulator.boot(tree.chain(flow: .detailsAuthorities, xen: "4.17.4", kernel: Self.kernel), on: tpm))
        try tree.recordBoot(["--tcti", tpm.tcti, "--event-log", log2])
        try TPM2ToolsSeal.seal(
            on: tpm, plaintext: tree.plaintextSecrets, sealed: tree.sealedSet, pcrs: [13, 17, 18],
            srkPassword: Self.srkPassword)
        try tree.copySealedSetToMedia()
        #expect(
            FileManager.default.fileExists(atPath: tree.sealedSet + "/" + SealedSet.identifierFile),
            "the id file survives the in-place reseal")
        let working = try tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub")

        // A second update, staged without a verify in between.
        try tree.installXen("4.17.5", seed: 5)
        try tree.writeGrubConfiguration()
        let stage = try CLI.run(["stage", "--root", tree.root, "--tcti", tpm.tcti, "--event-log", log2, "--yes"])
        #expect(stage.status == 0, "\(stage.stderr)")
        let previous = tree.root + "/var/lib/aem-reseal/aem/previous"
        #expect(try Data(contentsOf: URL(fileURLWithPath: previous + "/key.pub")) == Data(working))
        #expect(
            try TPM2ToolsSeal.unseal(on: tpm, sealed: previous, secret: "txt", srkPassword: Self.srkPassword)
                == Array(BootTree.secretText.utf8))

        let checklist = try CLI.run([
            "checklist", "--root", tree.root, "--tcti", tpm.tcti, "--event-log", log2, "--json",
        ])
        let items = try #require(try checklist.json()["items"] as? [[String: Any]])
        let item = try #require(items.first { $0["id"] as? String == "previous-seal" })
        #expect(item["status"] as? String == "pass", "\(item)")
        #expect((item["detail"] as? String)?.contains("opens on this boot") == true)

        let rollback = try CLI.run(["rollback", "--root", tree.root, "--yes"])
        #expect(rollback.status == 0, "\(rollback.stderr)")
        #expect(
            try TPM2ToolsSeal.unseal(on: tpm, sealed: tree.sealedSet, secret: "txt", srkPassword: Self.srkPassword)
                == Array(BootTree.secretText.utf8))
    }

    /// The checklist fails a `previous` that is complete but does not open
    /// on this boot (here: sealed to another boot's values).
    @Test func checklistFailsAPreviousThatDoesNotOpenNow() throws {
        let (tree, tpm, log) = try Self.bootedWithStockSeal()
        try tree.installXen("4.17.4", seed: 2)
        try tree.writeGrubConfiguration()
        #expect(
            try CLI.run(["stage", "--root", tree.root, "--tcti", tpm.tcti, "--event-log", log, "--yes"]).status == 0)
        // Replace previous with a set sealed to PCR 16, which differs now.
        let previous = tree.root + "/var/lib/aem-reseal/aem/previous"
        try Command.check(
            "tpm2_pcrextend", ["16:sha256=" + String(repeating: "ab", count: 32)],
            environment: ["TPM2TOOLS_TCTI": tpm.tcti])
        try TPM2ToolsSeal.seal(
            on: tpm, plaintext: tree.plaintextSecrets, sealed: previous, pcrs: [13, 16], srkPassword: Self.srkPassword)
        try Command.check("tpm2_pcrreset", ["16"], environment: ["TPM2TOOLS_TCTI": tpm.tcti])

        let checklist = try CLI.run([
            "checklist", "--root", tree.root, "--tcti", tpm.tcti, "--event-log", log, "--json",
        ])
        let items = try #require(try checklist.json()["items"] as? [[String: Any]])
        let item = try #require(items.first { $0["id"] as? String == "previous-seal" })
        #expect(item["status"] as? String == "fail", "\(item)")
        #expect((item["detail"] as? String)?.contains("does not open on this boot") == true)
    }

    /// The entry drops a module (here the initramfs): its tboot event goes,
    /// the rest is predicted, but nothing proves the new shape, so stage
    /// refuses (exit 1); forced, the seal opens on a boot of that shape.
    @Test func changedModuleCountIsRefusedAndForcedSealOpensOnTheNewShape() throws {
        let (tree, tpm, log) = try Self.bootedWithStockSeal()
        let before = try tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub")

        try FileManager.default.removeItem(atPath: tree.boot + "/initramfs-\(Self.kernel).img")
        try tree.writeGrubConfiguration()
        let refused = try CLI.run(["stage", "--root", tree.root, "--tcti", tpm.tcti, "--event-log", log, "--yes"])
        #expect(refused.status == 1)
        #expect(
            refused.stdout.contains("now loads 2 measured module(s) but the current boot measured 3"),
            "\(refused.stdout)")
        #expect(refused.stdout.contains("the secret may not appear at the next boot"))
        #expect(try tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub") == before)

        let forced = try CLI.run([
            "stage", "--root", tree.root, "--tcti", tpm.tcti, "--event-log", log, "--yes", "--force",
        ])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stderr.contains("WARNING: --force"))
        var chain = tree.chain(flow: .detailsAuthorities, xen: "4.17.3", kernel: Self.kernel)
        chain.modules.removeLast()
        try tpm.powerCycle()
        _ = try BootSimulator.boot(chain, on: tpm)
        #expect(
            try TPM2ToolsSeal.unseal(on: tpm, sealed: tree.sealedSet, secret: "txt", srkPassword: Self.srkPassword)
                == Array(BootTree.secretText.utf8))
    }

    /// Xen 4.17.3 booted (details/authorities) and sealed to by AEM's
    /// tpm2-tools commands; `record`: the record unit ran during the boot.
    static func bootedWithStockSeal(record: Bool = true) throws -> (tree: BootTree, tpm: SoftwareTPM, log: String) {
        let tree = try BootTree()
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel(Self.kernel, seed: 10)
        try tree.writeGrubConfiguration()
        let booted = try TPM2ToolsBoot.boot(
            tree, chain: tree.chain(flow: .detailsAuthorities, xen: "4.17.3", kernel: Self.kernel),
            srkPassword: Self.srkPassword, cachedSRKPassword: Self.srkPassword, record: record)
        return (tree, booted.tpm, booted.log)
    }

    @Test func offlinePolicyEqualsTpm2CreatepolicyForTheSameValues() throws {
        let tpm = try SoftwareTPM()
        let directory = try TemporaryDirectory()
        var values = PCRValues()
        var concatenated = [UInt8]()
        for (index, pcr) in [UInt32(13), 17, 18, 19].enumerated() {
            let digest = Digest(algorithm: .sha256, bytes: testBytes(32, seed: UInt8(40 + index)))
            values[.sha256, pcr] = digest
            concatenated += digest.bytes
        }
        let file = try directory.write("values.bin", concatenated)
        try tpm.tool(
            "tpm2_createpolicy",
            ["--policy-pcr", "-l", "sha256:13,17,18,19", "-f", file, "-L", directory.path("policy.bin")])
        let expected = try directory.read("policy.bin")
        let offline = try PolicyPCRDigest.compute(bank: .sha256, pcrs: [19, 13, 18, 17], values: values)
        #expect(offline.bytes == expected)
    }
}
