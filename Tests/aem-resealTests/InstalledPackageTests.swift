import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// The release package as a dom0 gets it: `make rpm`'s RPM installed with
/// the real `rpm` inside a dom0 sandbox (Qubes' AEM set up on TrenchBoot),
/// its `%post` recording the running boot; then a Xen update installed with
/// `rpm -U`, whose transaction fires the package's real file trigger, and
/// Qubes' own unseal as the judge of the next boot.
@Suite(.serialized) struct InstalledPackageTests {
    static let kernel = GenuineAEMCycleTests.kernel

    static func launch(_ tree: BootTree, xen: String, mbiSeed: UInt8) -> (SoftwareTPM) throws -> [UInt8] {
        GenuineAEMTrenchBootTests.launch(tree, xen: xen, mbiSeed: mbiSeed)
    }

    /// The active sealed set's files, by name.
    static func sealedFiles(_ tree: BootTree) throws -> [String: [UInt8]] {
        var files = [String: [UInt8]]()
        for name in try FileManager.default.contentsOfDirectory(atPath: tree.sealedSet) {
            var isDirectory: ObjCBool = false
            let path = tree.sealedSet + "/" + name
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[name] = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            }
        }
        #expect(!files.isEmpty, "a sealed set at \(tree.sealedSet)")
        return files
    }

    /// The Xen 4.17.4 package: its file, and a `%post` that rewrites
    /// grub.cfg as the real package's scriptlet does (grub2-mkconfig), with
    /// the configuration `writeGrub` generates beforehand from the new /boot.
    static func xenUpdate(_ tree: BootTree, trenchBoot: Bool, writeGrub: () throws -> Void) throws -> TestPackage {
        let current = try tree.directory.read("boot/grub2/grub.cfg")
        if trenchBoot {
            try tree.installTrenchBootXen("4.17.4", seed: 2, packaged: false)
        } else {
            try tree.installXen("4.17.4", seed: 2, packaged: false)
        }
        try writeGrub()
        let next = try tree.directory.read("boot/grub2/grub.cfg")
        let xen = try tree.directory.read("boot/xen-4.17.4.gz")
        try FileManager.default.removeItem(atPath: tree.boot + "/xen-4.17.4.gz")
        try tree.directory.write("boot/grub2/grub.cfg", current)
        return TestPackage(
            name: "xen-hypervisor", version: "4.17.4",
            files: ["/boot/xen-4.17.4.gz": xen, "/usr/lib/xen-test/grub.cfg": next],
            post: "cp /usr/lib/xen-test/grub.cfg /boot/grub2/grub.cfg")
    }

    /// Installs the release package in `world`'s dom0 with real rpm
    /// (`scripts`: with its `%post`) and readies what its trigger needs: the
    /// TPM, this boot's DRTM log (Xen's memory on dom0; a file here).
    static func installPackage(in world: GenuineAEMWorld, log: String, scripts: Bool = true) throws -> (
        Dom0Sandbox.Run, [String: String]
    ) {
        let sandbox = world.aem.sandbox
        let rpm = sandbox.dom0Tmp + "/aem-reseal.rpm"
        if !FileManager.default.fileExists(atPath: rpm) {
            try FileManager.default.copyItem(atPath: try ReleasePackage.path(), toPath: rpm)
        }
        try? FileManager.default.removeItem(atPath: sandbox.dom0Tmp + "/drtm.log")
        try FileManager.default.copyItem(atPath: log, toPath: sandbox.dom0Tmp + "/drtm.log")
        let environment = [
            "TPM2TOOLS_TCTI": world.tpm.tcti, "AEM_RESEAL_ARGS": "--event-log /tmp/drtm.log", "NO_COLOR": "1",
        ]
        // --nodeps: the sandbox's rpm database holds only the test's packages.
        let install = try sandbox.run(
            ["rpm", "-i", "--nodeps"] + (scripts ? [] : ["--noscripts"]) + ["/tmp/aem-reseal.rpm"],
            environment: environment, timeout: 300)
        return (install, environment)
    }

    /// `rpm -U` of `package` in `world`'s dom0: its transaction fires the
    /// installed package's file trigger.
    static func upgrade(_ package: TestPackage, in world: GenuineAEMWorld, environment: [String: String]) throws
        -> Dom0Sandbox.Run
    {
        let work = try TemporaryDirectory()
        let rpm = try package.build(in: work)
        let target = world.aem.sandbox.dom0Tmp + "/update.rpm"
        try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.copyItem(atPath: rpm, toPath: target)
        return try world.aem.sandbox.run(
            ["rpm", "-U", "--nodeps", "/tmp/update.rpm"], environment: environment, timeout: 300)
    }

    /// The file triggers in real rpm transactions: installing a kernel
    /// package stages; upgrading it (which removes the old version's files
    /// too) stages once, the post-uninstall trigger seeing that the
    /// installing one already did; removing it alone (its scriptlets would
    /// rewrite grub.cfg) stages through the post-uninstall trigger. There is
    /// no TPM here: each stage fails, which is reported and fails nothing.
    @Test func aRemovalAloneStagesAndAnUpgradeStagesOnce() throws {
        let tree = try BootTree()
        let sandbox = try Dom0Sandbox(tree: tree)
        let work = try TemporaryDirectory()
        try FileManager.default.copyItem(atPath: try ReleasePackage.path(), toPath: sandbox.dom0Tmp + "/aem-reseal.rpm")
        for version in ["1", "2"] {
            let kernel = TestPackage(
                name: "kernel-test", version: version,
                files: ["/boot/vmlinuz-9.9.\(version)": testBytes(4096, seed: UInt8(version)!)])
            try FileManager.default.copyItem(
                atPath: try kernel.build(in: work), toPath: sandbox.dom0Tmp + "/k\(version).rpm")
        }
        func rpm(_ arguments: [String]) throws -> Dom0Sandbox.Run {
            let run = try sandbox.run(["rpm", "--nodeps"] + arguments, timeout: 300)
            #expect(run.status == 0, "rpm \(arguments): \(run.stdout)\(run.stderr)")
            return run
        }
        func stages(_ run: Dom0Sandbox.Run) -> Int {
            run.stdout.components(separatedBy: "aem-reseal: predicting the next boot").count - 1
        }
        _ = try rpm(["-i", "--noscripts", "/tmp/aem-reseal.rpm"])

        let installed = try rpm(["-i", "/tmp/k1.rpm"])
        #expect(installed.stdout.contains("installed boot files: vmlinuz-9.9.1"), "\(installed.stdout)")
        #expect(stages(installed) == 1, "\(installed.stdout)")
        let upgraded = try rpm(["-U", "/tmp/k2.rpm"])
        #expect(upgraded.stdout.contains("installed boot files: vmlinuz-9.9.2"), "\(upgraded.stdout)")
        #expect(!upgraded.stdout.contains("removed files"), "\(upgraded.stdout)")
        #expect(stages(upgraded) == 1, "\(upgraded.stdout)")
        let removed = try rpm(["-e", "kernel-test"])
        #expect(removed.stdout.contains("this transaction removed files under /boot"), "\(removed.stdout)")
        #expect(removed.stdout.contains("aem-reseal: could not seal ahead"), "\(removed.stdout)")
        #expect(stages(removed) == 1, "\(removed.stdout)")
    }

    /// A fresh install on a TrenchBoot dom0 whose first update removes the
    /// booted Xen (`rpm -U`). Recorded by `%post`, the trigger stages a
    /// proven transition seal and Qubes' unseal shows the secret on the new
    /// boot. Installed without its scriptlets (as outside an AEM boot), it
    /// has no record: the trigger's stage refuses in TrenchBoot's words with
    /// the way forward, seals nothing, and the third way (one unproven
    /// boot, AEM's own reseal) leads back to a proven boot.
    @Test(arguments: [true, false])
    func firstUpdateAfterInstallingOnTrenchBoot(recordedAtInstall: Bool) throws {
        let world = try GenuineAEMWorld(configuration: .trenchBoot, secrets: .text)
        let tree = world.tree
        try tree.installTrenchBootXen("4.17.3", seed: 1)
        try tree.installKernel(Self.kernel, seed: 10)
        try tree.writeTrenchBootGrubConfiguration(xen: "4.17.3", kernel: Self.kernel)
        _ = try world.boot(record: false, launch: Self.launch(tree, xen: "4.17.3", mbiSeed: 1))
        let booted = try world.boot(record: false, launch: Self.launch(tree, xen: "4.17.3", mbiSeed: 1))
        #expect(try world.proved(booted.unseal), "\(booted.unseal.transcript)")
        let sealedBefore = try Self.sealedFiles(tree)

        try tree.directory.write("etc/aem-reseal.conf", "TRANSITION_SEAL=yes\n")
        let (install, environment) = try Self.installPackage(
            in: world, log: booted.log, scripts: recordedAtInstall)
        #expect(install.status == 0, "\(install.stdout)\(install.stderr)")
        let stamp = try #require(try SystemLayout(root: tree.root).bootTimeSeconds())
        let recorded = try BootRecord.load(in: tree.directory.path("var/lib/aem-reseal/boots/\(stamp)"))
        #expect((recorded != nil) == recordedAtInstall, "\(install.stdout)")
        if recordedAtInstall {
            #expect(install.stdout.contains("aem-reseal: recorded this boot"), "\(install.stdout)")
            // Installing the package fired its trigger for /boot's files: nothing changed.
            #expect(install.stdout.contains("no byte the seal covers changed"), "\(install.stdout)")
        }
        #expect(try Self.sealedFiles(tree) == sealedBefore)

        let update = try Self.xenUpdate(tree, trenchBoot: true) {
            try tree.writeTrenchBootGrubConfiguration(xen: "4.17.4", kernel: Self.kernel)
        }
        let upgrade = try Self.upgrade(update, in: world, environment: environment)
        #expect(upgrade.status == 0, "\(upgrade.stdout)\(upgrade.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tree.boot + "/xen-4.17.3.gz"), "rpm -U removed it")
        #expect(upgrade.stdout.contains("aem-reseal: this transaction installed boot files: xen-4.17.4.gz"))
        #expect(!upgrade.stdout.contains("removed files"), "staged once: \(upgrade.stdout)")

        if recordedAtInstall {
            #expect(upgrade.stdout.contains("Transition seal:"), "\(upgrade.stdout)")
            #expect(upgrade.stdout.contains("aem-reseal: done."), "\(upgrade.stdout)")
            #expect(try String(contentsOfFile: tree.sealedSet + "/key.pcrs", encoding: .utf8) == "sha256:13,17\n")
            let updated = try world.boot(launch: Self.launch(tree, xen: "4.17.4", mbiSeed: 2))
            #expect(try world.proved(updated.unseal), "\(updated.unseal.transcript)")
            return
        }
        #expect(upgrade.stdout.contains("Xen /xen-4.17.4.gz (the MLE/DLME)"), "\(upgrade.stdout)")
        #expect(upgrade.stdout.contains("there is no tboot") && !upgrade.stdout.contains("new tboot"))
        #expect(upgrade.stdout.contains("(1) before the next update, let `sudo aem-reseal record` run"))
        #expect(upgrade.stdout.contains("aem-reseal: could not seal ahead"), "\(upgrade.stdout)")
        #expect(try Self.sealedFiles(tree) == sealedBefore)
        // The third way: one unproven boot, AEM reseals during it, the next boot is proven.
        let unproven = try world.boot(launch: Self.launch(tree, xen: "4.17.4", mbiSeed: 2))
        #expect(try !world.proved(unproven.unseal))
        let next = try world.boot(launch: Self.launch(tree, xen: "4.17.4", mbiSeed: 2))
        #expect(try world.proved(next.unseal), "\(next.unseal.transcript)")
    }

    /// The evil maid's kernel (issue 21's scenario), judged by Qubes' own
    /// unseal: while dom0 is off, an unpackaged kernel and initramfs of a
    /// higher version appear on /boot. The next boot is untouched and shows
    /// the secret. A genuine Xen update's grub2-mkconfig then picks the
    /// planted kernel: the installed trigger refuses, naming it, seals
    /// nothing, and the planted boot shows no secret.
    @Test func aPlantedKernelIsNeverSealedAndQubesUnsealShowsNothingOnIt() throws {
        let planted = "6.6.99-1.qubes.fc37.x86_64"
        let world = try GenuineAEMWorld()
        let tree = world.tree
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel(Self.kernel, seed: 10)
        try tree.writeGrubConfiguration()
        _ = try world.boot(launch: GenuineAEMCycleTests.tbootLaunch(tree, xen: "4.17.3"))
        let installedIn = try world.boot(launch: GenuineAEMCycleTests.tbootLaunch(tree, xen: "4.17.3"))
        let (install, environment) = try Self.installPackage(in: world, log: installedIn.log)
        #expect(install.status == 0, "\(install.stdout)\(install.stderr)")

        // Powered off: the kernel is planted. The next boot does not use it.
        try tree.installKernel(planted, seed: 99, packaged: false)
        let booted = try world.boot(launch: GenuineAEMCycleTests.tbootLaunch(tree, xen: "4.17.3"))
        #expect(try world.proved(booted.unseal), "\(booted.unseal.transcript)")
        try FileManager.default.removeItem(atPath: world.aem.sandbox.dom0Tmp + "/drtm.log")
        try FileManager.default.copyItem(atPath: booted.log, toPath: world.aem.sandbox.dom0Tmp + "/drtm.log")
        let sealedBefore = try Self.sealedFiles(tree)

        let update = try Self.xenUpdate(tree, trenchBoot: false) { try tree.writeGrubConfiguration() }
        let upgrade = try Self.upgrade(update, in: world, environment: environment)
        #expect(upgrade.status == 0, "a refusal never fails the update: \(upgrade.stderr)")
        #expect(
            try String(contentsOfFile: tree.boot + "/grub2/grub.cfg", encoding: .utf8).contains("/vmlinuz-\(planted)"),
            "grub2-mkconfig picked the planted kernel")
        #expect(upgrade.stdout.contains("nothing was sealed"), "\(upgrade.stdout)")
        #expect(upgrade.stdout.contains("no installed package owns /boot/vmlinuz-\(planted)"), "\(upgrade.stdout)")
        #expect(upgrade.stdout.contains("aem-reseal: could not seal ahead"))
        #expect(try Self.sealedFiles(tree) == sealedBefore)

        let evil = try world.boot(
            seal: false,
            launch: { tpm in
                var chain = tree.chain(flow: .detailsAuthorities, xen: "4.17.4", kernel: planted)
                chain.luksHeader = nil
                return try BootSimulator.boot(chain, on: tpm)
            })
        #expect(try world.showedNothing(evil.unseal), "\(evil.unseal.transcript)")
        #expect(evil.unseal.transcript.contains("Freshness token unsealing failed!"), "\(evil.unseal.transcript)")
    }
}
