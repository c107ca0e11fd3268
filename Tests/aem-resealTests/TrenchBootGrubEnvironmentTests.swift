import AEMCore
import AEMTestSupport
import Foundation
import SystemPackage
import Testing

/// A genuine TrenchBoot Xen update on the configuration grub2-mkconfig
/// writes on Qubes (the real `00_header`, `10_reset_boot_success`,
/// `12_menu_auto_hide`... blocks, an entry that finds /boot by `search
/// --fs-uuid`, `41_custom`): GRUB rewrites grubenv at every boot
/// (`boot_success`, `boot_indeterminate`), before dom0 runs. The
/// transition seal needs every file GRUB reads written by a package or by
/// dom0, so GRUB's own writes are modelled from the configuration and the
/// block dom0 left: the update still stages, with `custom.cfg` absent or
/// from a package, and Qubes' unseal opens it on the boot GRUB itself
/// (grub-emu on the real partition, writing grubenv as at every boot) makes.
@Suite(.serialized) struct TrenchBootGrubEnvironmentTests {
    static let kernel = GenuineAEMCycleTests.kernel

    @Test(arguments: [false, true])
    func aGenuineUpdateOnGrubMkconfigsOwnBlocksGetsItsTransitionSeal(packagedCustomConfiguration: Bool) throws {
        let world = try GenuineAEMWorld(configuration: .trenchBoot)
        let tree = world.tree
        tree.trenchBootFedoraBlocks = true
        try tree.installTrenchBootXen("4.17.3", seed: 1)
        try tree.installKernel(Self.kernel, seed: 10)
        if packagedCustomConfiguration {
            try tree.directory.write("boot/grub2/custom.cfg", "# site settings, from a package\nset timeout=3\n")
            try tree.installed("site-grub", version: "1", files: ["boot/grub2/custom.cfg"], packaged: true)
        }
        try tree.writeTrenchBootGrubConfiguration(xen: "4.17.3", kernel: Self.kernel)
        try tree.writeGrubEnvironment([:])
        // grub2-mkconfig wrote grub.cfg during an earlier proven boot.
        try tree.enterInWrittenFilesLedger(["grub2/grub.cfg"])

        /// A boot as it really goes: GRUB (its save_env into grubenv), then the launch.
        func boot(_ xen: String, record: Bool = true) throws -> GenuineAEMWorld.Boot {
            let grub = try GrubEmuDisk.boot(device: world.bootDevice, mountedAt: tree.boot)
            let chain = try tree.trenchBootChain(booting: grub, vendor: .intel)
            #expect(chain.xen.hasSuffix("/xen-\(xen).gz"), "\(grub)")
            return try world.boot(record: record) { tpm in try TrenchBootSimulator.boot(chain, on: tpm) }
        }
        try boot("4.17.3")
        // dom0's boot-success timer, during that boot, then its shutdown.
        try Command.check("grub-editenv", [tree.boot + "/grub2/grubenv", "set", "boot_success=1"])
        let stop = try CLI.run(["record", "--shutdown", "--root", tree.root, "--tcti", world.tpm.tcti])
        #expect(stop.status == 0 && stop.stdout.contains("/grub2/grubenv"), "\(stop.stdout)\(stop.stderr)")

        let shown = try boot("4.17.3")
        #expect(try world.proved(shown.unseal), "\(shown.unseal.transcript)")
        let ledger = try #require(
            try WrittenFilesLedger.load(from: tree.root + "/var/lib/aem-reseal/" + WrittenFilesLedger.fileName))
        let grubenv = try #require(ledger.files["/grub2/grubenv"], "\(ledger)")
        #expect(grubenv.writer == .grubAtBoot, "GRUB's boot_success=0 at this boot is explained")
        #expect(grubenv.sha256 == (try Python.hash("sha256", try tree.directory.read("boot/grub2/grubenv"))))

        try tree.installTrenchBootXen("4.17.4", seed: 2, upgrade: true)
        try tree.writeTrenchBootGrubConfiguration(xen: "4.17.4", kernel: Self.kernel)
        let stage = try CLI.run([
            "stage", "--root", tree.root, "--tcti", world.tpm.tcti, "--event-log", shown.log, "--yes",
        ])
        #expect(stage.status == 0, "\(stage.stdout)\(stage.stderr)")
        #expect(stage.stdout.contains("Transition seal:"), "\(stage.stdout)")

        let updated = try boot("4.17.4", record: false)
        #expect(try world.proved(updated.unseal), "\(updated.unseal.transcript)")
    }
}
