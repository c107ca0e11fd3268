import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// The whole cycle judged by Qubes' own AEM scripts (upstream, unchanged):
/// AEM set up by `anti-evil-maid-tpm-setup`, sealed by
/// `anti-evil-maid-seal` at each boot, opened by `anti-evil-maid-unseal`
/// in the initramfs; aem-reseal seals ahead between them.
@Suite(.serialized) struct GenuineAEMCycleTests {
    static let kernel = "6.6.21-1.qubes.fc37.x86_64"

    /// The boot the AEM entry makes now, on tboot (details/authorities);
    /// with `tamperedXen`, that file instead of Xen.
    static func tbootLaunch(_ tree: BootTree, xen: String, tamperedXen: String? = nil) -> (SoftwareTPM) throws
        -> [UInt8]
    {
        { tpm in
            var chain = tree.chain(flow: .detailsAuthorities, xen: xen, kernel: kernel)
            chain.luksHeader = nil
            if let tamperedXen { chain.modules[0].file = tamperedXen }
            return try BootSimulator.boot(chain, on: tpm)
        }
    }

    /// AEM set up, booted twice into Xen 4.17.3 (the first AEM boot seals,
    /// the second shows the secret), then Xen 4.17.4 installed.
    static func bootedAndUpdated(secrets: GenuineAEMWorld.Secrets, srkPassword: String? = nil) throws -> (
        GenuineAEMWorld, GenuineAEMWorld.Boot
    ) {
        let world = try GenuineAEMWorld(srkPassword: srkPassword, secrets: secrets)
        let tree = world.tree
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel(kernel, seed: 10)
        try tree.writeGrubConfiguration()
        let first = try world.boot(launch: tbootLaunch(tree, xen: "4.17.3"))
        #expect(try !world.proved(first.unseal), "nothing is sealed before the first AEM boot")
        let second = try world.boot(launch: tbootLaunch(tree, xen: "4.17.3"))
        #expect(try world.proved(second.unseal), "AEM's own seal opens: \(second.unseal.transcript)")
        try tree.installXen("4.17.4", seed: 2)
        try tree.writeGrubConfiguration()
        return (world, second)
    }

    /// Sealed ahead by `stage` (non-interactively, as the rpm trigger runs
    /// it), the first boot into the new Xen shows the secret (text mode),
    /// or the right TOTP code and the key file (multi-factor mode), with
    /// the freshness token checked. AEM's own seal during that boot closes
    /// the cycle: the next identical boot shows it again. One byte of Xen
    /// changed shows nothing.
    @Test(arguments: [GenuineAEMWorld.Secrets.text, .multiFactor])
    func xenUpdateSealedAheadOpensWithQubesOwnUnseal(secrets: GenuineAEMWorld.Secrets) throws {
        let (world, booted) = try Self.bootedAndUpdated(secrets: secrets)
        let tree = world.tree
        let stage = try CLI.run([
            "stage", "--root", tree.root, "--tcti", world.tpm.tcti, "--event-log", booted.log, "--non-interactive",
            "--yes",
        ])
        #expect(stage.status == 0, "\(stage.stdout)\(stage.stderr)")

        let updated = try world.boot(launch: Self.tbootLaunch(tree, xen: "4.17.4"))
        #expect(try world.proved(updated.unseal), "\(updated.unseal.transcript)")
        #expect(updated.seal != nil, "AEM's seal service ran during the boot")
        let again = try world.boot(launch: Self.tbootLaunch(tree, xen: "4.17.4"))
        #expect(try world.proved(again.unseal), "\(again.unseal.transcript)")

        // The evil maid's Xen: the user sees nothing and powers off (no seal).
        let evil = try world.boot(
            seal: false,
            launch: Self.tbootLaunch(
                tree, xen: "4.17.4", tamperedXen: try tree.tamperedCopy(of: tree.boot + "/xen-4.17.4.gz")))
        #expect(try world.showedNothing(evil.unseal), "\(evil.unseal.transcript)")
        #expect(evil.unseal.transcript.contains("Freshness token unsealing failed!"), "\(evil.unseal.transcript)")
    }

    /// With an SRK password: Qubes' unseal asks for it at boot, and the set
    /// `stage` seals with it (AEM's cache still holds it on TPM 2.0: its
    /// library's exit trap replaces the seal's removal of the cache). After
    /// `rollback`, the old chain's boot opens the set put back.
    @Test func rollbackPutsBackASetQubesOwnUnsealOpensOnTheOldChain() throws {
        let (world, booted) = try Self.bootedAndUpdated(secrets: .text, srkPassword: "srk pass phrase")
        let tree = world.tree
        let stage = try CLI.run([
            "stage", "--root", tree.root, "--tcti", world.tpm.tcti, "--event-log", booted.log, "--non-interactive",
            "--yes",
        ])
        #expect(stage.status == 0, "\(stage.stdout)\(stage.stderr)")
        let rollback = try CLI.run(["rollback", "--root", tree.root, "--event-log", booted.log, "--yes"])
        #expect(rollback.status == 0, "\(rollback.stdout)\(rollback.stderr)")

        // Xen 4.17.4 removed again; GRUB boots 4.17.3.
        try FileManager.default.removeItem(atPath: tree.boot + "/xen-4.17.4.gz")
        try tree.writeGrubConfiguration()
        let old = try world.boot(launch: Self.tbootLaunch(tree, xen: "4.17.3"))
        #expect(try world.proved(old.unseal), "\(old.unseal.transcript)")
        #expect(old.unseal.transcript.contains("Prompting for SRK password"))
    }
}

/// TrenchBoot (Intel TXT, TPM 2.0) judged by the fork's configuration and
/// Qubes' unseal and seal, which the fork ships unchanged.
@Suite(.serialized) struct GenuineAEMTrenchBootTests {
    static let kernel = GenuineAEMCycleTests.kernel

    /// The boot the TrenchBoot entry makes; with `tamperedXen`, that file
    /// is the DLME instead of Xen.
    static func launch(_ tree: BootTree, xen: String, mbiSeed: UInt8, tamperedXen: String? = nil) -> (SoftwareTPM)
        throws -> [UInt8]
    {
        { tpm in
            var chain = tree.trenchBootChain(xen: xen, kernel: kernel, mbiSeed: mbiSeed)
            chain.luksHeader = nil
            if let tamperedXen { chain.xen = tamperedXen }
            return try TrenchBootSimulator.boot(chain, on: tpm)
        }
    }

    /// An upgrade that replaces the booted Xen: `stage` seals the
    /// transition set (PCR 13 and 17; PCR 18 holds GRUB's memory layout),
    /// Qubes' unseal opens it on the new boot, AEM's own seal reseals to
    /// the full SEAL list, and the next identical boot opens that. The
    /// transition set still holds Xen in PCR 17: one byte changed shows
    /// nothing.
    @Test(arguments: [GenuineAEMWorld.Secrets.text, .multiFactor])
    func transitionSealOpensAndAEMResealsToTheFullList(secrets: GenuineAEMWorld.Secrets) throws {
        let world = try GenuineAEMWorld(configuration: .trenchBoot, secrets: secrets)
        let tree = world.tree
        try tree.installTrenchBootXen("4.17.3", seed: 1)
        try tree.installKernel(Self.kernel, seed: 10)
        try tree.writeTrenchBootGrubConfiguration(xen: "4.17.3", kernel: Self.kernel)
        _ = try world.boot(launch: Self.launch(tree, xen: "4.17.3", mbiSeed: 1))
        let booted = try world.boot(launch: Self.launch(tree, xen: "4.17.3", mbiSeed: 1))
        #expect(try world.proved(booted.unseal), "\(booted.unseal.transcript)")

        try tree.installTrenchBootXen("4.17.4", seed: 2, upgrade: true)
        #expect(!FileManager.default.fileExists(atPath: tree.boot + "/xen-4.17.3.gz"), "rpm -U removed it")
        try tree.writeTrenchBootGrubConfiguration(xen: "4.17.4", kernel: Self.kernel)
        let stage = try CLI.run([
            "stage", "--root", tree.root, "--tcti", world.tpm.tcti, "--event-log", booted.log, "--yes",
        ])
        #expect(stage.status == 0, "\(stage.stdout)\(stage.stderr)")
        #expect(stage.stdout.contains("Transition seal:"), "\(stage.stdout)")
        #expect(try String(contentsOfFile: tree.sealedSet + "/key.pcrs", encoding: .utf8) == "sha256:13,17\n")

        let evil = try world.boot(
            seal: false,
            launch: Self.launch(
                tree, xen: "4.17.4", mbiSeed: 2, tamperedXen: try tree.tamperedCopy(of: tree.boot + "/xen-4.17.4.gz")))
        #expect(try world.showedNothing(evil.unseal), "\(evil.unseal.transcript)")

        let updated = try world.boot(launch: Self.launch(tree, xen: "4.17.4", mbiSeed: 2))
        #expect(try world.proved(updated.unseal), "\(updated.unseal.transcript)")
        #expect(try String(contentsOfFile: tree.sealedSet + "/key.pcrs", encoding: .utf8) == "sha256:13,17,18\n")
        let again = try world.boot(launch: Self.launch(tree, xen: "4.17.4", mbiSeed: 2))
        #expect(try world.proved(again.unseal), "\(again.unseal.transcript)")
    }
}

/// tboot on a TPM 1.2 (TrouSerS, the legacy PCR mapping, `SEAL` 13, 17, 18
/// and 19 as Qubes' configuration has it), judged by the same upstream
/// scripts through their TPM 1.2 library.
@Suite(.serialized) struct GenuineAEMTPM12Tests {
    static let kernel = GenuineAEMCycleTests.kernel

    static func launch(_ tree: BootTree, xen: String, tamperedXen: String? = nil) -> (SoftwareTPM12) throws
        -> [UInt8]
    {
        { tpm in
            var chain = tree.chain(flow: .legacy, xen: xen, kernel: kernel)
            chain.luksHeader = nil
            if let tamperedXen { chain.modules[0].file = tamperedXen }
            return try BootSimulator.boot(chain, on: tpm)
        }
    }

    /// Sealed ahead by `stage`, Qubes' unseal shows the secret on the new
    /// boot (text, and TOTP plus key file); AEM's seal closes the cycle; a
    /// tampered Xen shows nothing.
    @Test(arguments: [GenuineAEMWorld.Secrets.text, .multiFactor])
    func xenUpdateSealedAheadOpensWithQubesOwnUnseal(secrets: GenuineAEMWorld.Secrets) throws {
        let world = try GenuineAEMWorld(
            configuration: .qubes(seal: "--pcr 13 --pcr 17 --pcr 18 --pcr 19"), secrets: secrets, tpm12: true)
        let tpm = world.tpm12
        let tree = world.tree
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel(Self.kernel, seed: 10)
        try tree.writeGrubConfiguration()
        _ = try world.boot12(launch: Self.launch(tree, xen: "4.17.3"))
        let booted = try world.boot12(launch: Self.launch(tree, xen: "4.17.3"))
        #expect(try world.proved(booted.unseal), "AEM's own seal opens: \(booted.unseal.transcript)")

        try tree.installXen("4.17.4", seed: 2)
        try tree.writeGrubConfiguration()
        let stage = try CLI.run(
            ["stage", "--root", tree.root, "--event-log", booted.log, "--non-interactive", "--yes"],
            environment: tpm.environment)
        #expect(stage.status == 0, "\(stage.stdout)\(stage.stderr)")

        let updated = try world.boot12(launch: Self.launch(tree, xen: "4.17.4"))
        #expect(try world.proved(updated.unseal), "\(updated.unseal.transcript)")
        let again = try world.boot12(launch: Self.launch(tree, xen: "4.17.4"))
        #expect(try world.proved(again.unseal), "\(again.unseal.transcript)")

        let evil = try world.boot12(
            seal: false,
            launch: Self.launch(
                tree, xen: "4.17.4", tamperedXen: try tree.tamperedCopy(of: tree.boot + "/xen-4.17.4.gz")))
        #expect(try world.showedNothing(evil.unseal), "\(evil.unseal.transcript)")
    }
}
