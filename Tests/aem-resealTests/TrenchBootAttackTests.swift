import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// The transition seal (TrenchBoot: PCR 13 and 17, PCR 18 left out) binds
/// no command line, so it stands on GRUB choosing at the next boot what
/// the prediction says. An offline attacker plants a `custom.cfg` (which
/// Fedora's `41_custom` block sources) that chooses the genuine files with
/// Xen's IOMMU off and dom0 in a shell only at the boot after the next
/// update: by a hash check of the initramfs that dracut's rewrite makes
/// fail, or by a counter it keeps in its own environment block. The boot
/// in between shows the secret. `stage` must refuse, naming the planted
/// file; GRUB itself (grub-emu on the real partition) then boots the
/// attacker's entry, where Qubes' own unseal (TrenchBoot's configuration)
/// shows nothing. Intel TXT and AMD SKINIT alike.
@Suite(.serialized) struct TrenchBootAttackTests {
    static let kernel = GenuineAEMCycleTests.kernel

    enum Attack: String, CaseIterable, Sendable {
        /// `hashsum --check` of the initramfs: fails once dracut rewrote it.
        case hashCheck
        /// A counter in the attacker's environment block, which GRUB's
        /// `save_env` left armed at the boot that showed the secret.
        case counter
    }

    static let cases: [(Attack, SimulatedTrenchBootChain.Vendor)] = Attack.allCases.flatMap { attack in
        [(attack, .intel), (attack, .amd)]
    }

    /// The attacker's entry: the genuine files and command lines, plus
    /// `iommu=0` for Xen and `init=/bin/sh` for dom0.
    static func evilEntry(_ tree: BootTree) -> String {
        let (xen, dom0) = tree.entryCommandLines!
        return """
            menuentry 'AEM Qubes, with Xen hypervisor' --id aem-evil {
              slaunch
              multiboot2 /xen-4.17.3.gz \(xen) iommu=0
              module2 /vmlinuz-\(kernel) \(dom0) init=/bin/sh
              module2 /initramfs-\(kernel).img
              slaunch_module \(tree.trenchBootLaunchModule)
            }

            """
    }

    @Test(arguments: cases)
    func aPlantedCustomConfigurationNeverGetsATransitionSeal(attack: Attack, vendor: SimulatedTrenchBootChain.Vendor)
        throws
    {
        let world = try GenuineAEMWorld(configuration: .trenchBoot)
        let tree = world.tree
        tree.grubCustomBlock = true
        try tree.installTrenchBootXen("4.17.3", seed: 1)
        try tree.installKernel(Self.kernel, seed: 10)
        if vendor == .amd { try tree.directory.write("boot/skl.bin", testBytes(8192, seed: 66)) }
        tree.trenchBootLaunchModule = vendor == .amd ? "/skl.bin" : "/GM45_GS45_PM45_SINIT_51.BIN"
        try tree.writeTrenchBootGrubConfiguration(xen: "4.17.3", kernel: Self.kernel)
        // grub2-mkconfig wrote grub.cfg during an earlier proven boot.
        try tree.enterInWrittenFilesLedger(["grub2/grub.cfg"])
        let launch = { (mbiSeed: UInt8) in
            { (tpm: SoftwareTPM) throws -> [UInt8] in
                var chain = tree.trenchBootChain(xen: "4.17.3", kernel: Self.kernel, mbiSeed: mbiSeed, vendor: vendor)
                chain.luksHeader = nil
                return try TrenchBootSimulator.boot(chain, on: tpm)
            }
        }
        try world.boot(launch: launch(1))

        // Off: the attacker's custom.cfg, and what it keys on.
        switch attack {
        case .hashCheck:
            let initramfs = try Python.hash("sha256", try tree.directory.read("boot/initramfs-\(Self.kernel).img"))
            try tree.directory.write("boot/grub2/initramfs.sha256", "\(initramfs)  /initramfs-\(Self.kernel).img\n")
            try tree.directory.write(
                "boot/grub2/custom.cfg",
                "if hashsum --hash sha256 --check $prefix/initramfs.sha256 --prefix ($root); then true; else\n"
                    + "  set default=aem-evil\nfi\n" + Self.evilEntry(tree))
        case .counter:
            try tree.directory.write("boot/grub2/counter", Self.environmentBlock("n=1"))
            try tree.directory.write(
                "boot/grub2/custom.cfg",
                "load_env -f $prefix/counter n\nif [ \"$n\" = 1 ]; then set default=aem-evil; fi\n"
                    + "set n=1\nsave_env -f $prefix/counter n\n" + Self.evilEntry(tree))
        }
        let shown = try world.boot(launch: launch(1))
        #expect(try world.proved(shown.unseal), "the boot in between shows the secret: \(shown.unseal.transcript)")
        let before = try InstalledPackageTests.sealedFiles(tree)

        // The update: dracut rewrites the initramfs (hash check), or a
        // configuration change rewrites grub.cfg (counter).
        switch attack {
        case .hashCheck: try tree.rebuildInitramfs(Self.kernel, seed: 77)
        case .counter:
            tree.linuxCommandLine += " quiet"
            try tree.writeTrenchBootGrubConfiguration(xen: "4.17.3", kernel: Self.kernel)
        }
        try tree.directory.write("etc/aem-reseal.conf", "TRANSITION_SEAL=yes\n")
        let stage = try CLI.run([
            "stage", "--root", tree.root, "--tcti", world.tpm.tcti, "--event-log", shown.log, "--yes",
        ])
        #expect(stage.status == 1, "\(stage.stdout)\(stage.stderr)")
        #expect(stage.stderr.contains("/grub2/custom.cfg"), "\(stage.stderr)")
        // The hash check's status is never modelled (the file may change
        // before the boot), so the branch it decides is an unknown; the
        // counter makes GRUB choose another command line. Either way the
        // configuration decides the entry and needs a voucher like any file.
        #expect(stage.stderr.contains("nothing trustworthy vouches for"), "\(stage.stderr)")
        #expect(try InstalledPackageTests.sealedFiles(tree) == before)

        let grub = try GrubEmuDisk.boot(device: world.bootDevice, mountedAt: tree.boot)
        #expect(grub.commands.contains { $0.arguments.contains("iommu=0") }, "GRUB took the attacker's entry: \(grub)")
        let chain = try tree.trenchBootChain(booting: grub, vendor: vendor)
        let evil = try world.boot(record: false, seal: false) { tpm in try TrenchBootSimulator.boot(chain, on: tpm) }
        #expect(try world.showedNothing(evil.unseal), "\(evil.unseal.transcript)")
    }

    /// A GRUB environment block holding `variables`, 1024 bytes.
    static func environmentBlock(_ variables: String) -> String {
        let head = "# GRUB Environment Block\n\(variables)\n"
        return head + String(repeating: "#", count: 1024 - head.utf8.count)
    }
}
