import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// The dom0 update path as rpm really runs it: packages built with
/// rpmbuild, whose files carry their build time (before the boot), installed
/// with rpm; the file trigger fed the package's file list; no boot record;
/// then a simulated reboot where AEM's own TPM commands (tpm2-tools) must unseal; Qubes' scripts judge the same path in InstalledPackageTests.
@Suite(.serialized) struct RpmUpdateEndToEndTests {
    static let srkPassword = "srk pass phrase"
    static let kernel = "6.6.21-1.qubes.fc37.x86_64"

    struct World {
        var tree: BootTree
        var tpm: SoftwareTPM
        var log: String
        var work: TemporaryDirectory
    }

    /// Takes a file BootTree generated out of /boot, to ship it in a package.
    static func packaged(_ relative: String, from tree: BootTree) throws -> [UInt8] {
        let bytes = try tree.directory.read(relative)
        try FileManager.default.removeItem(atPath: tree.directory.path(relative))
        return bytes
    }

    /// A dom0 with Xen 4.17.3 from its package, booted (the record unit
    /// running, unless `record` is false), AEM sealed by its tpm2-tools commands.
    /// `beforeBoot` runs just before the boot: what an evil maid does
    /// while the machine is off.
    static func bootedOnXen4173(record: Bool = true, beforeBoot: (BootTree) throws -> Void = { _ in }) throws
        -> World
    {
        let tree = try BootTree()
        let work = try TemporaryDirectory()
        try tree.installKernel(kernel, seed: 10)
        try tree.installXen("4.17.3", seed: 1, packaged: false)
        let xen = TestPackage(
            name: "xen-hypervisor", version: "4.17.3",
            files: ["/boot/xen-4.17.3.gz": try packaged("boot/xen-4.17.3.gz", from: tree)])
        try TestPackage.install(try xen.build(in: work), root: tree.root)
        try tree.writeGrubConfiguration()
        try beforeBoot(tree)
        let booted = try TPM2ToolsBoot.boot(
            tree, chain: tree.chain(flow: .detailsAuthorities, xen: "4.17.3", kernel: kernel),
            srkPassword: srkPassword, cachedSRKPassword: srkPassword, record: record)
        return World(tree: tree, tpm: booted.tpm, log: booted.log, work: work)
    }

    /// The Xen 4.17.4 update as dnf runs it: the package upgraded with real
    /// rpm (4.17.3's file removed), then its scriptlet's grub2-mkconfig.
    /// Returns the package's file list, what the trigger is given.
    static func updateXen(_ world: World) throws -> [String] {
        let tree = world.tree
        try tree.installXen("4.17.4", seed: 2, packaged: false)
        let update = TestPackage(
            name: "xen-hypervisor", version: "4.17.4",
            files: ["/boot/xen-4.17.4.gz": try Self.packaged("boot/xen-4.17.4.gz", from: tree)])
        let rpm = try update.build(in: world.work)
        try TestPackage.install(rpm, root: tree.root, upgrade: true)
        try tree.writeGrubConfiguration()
        return try TestPackage.fileList(of: rpm)
    }

    /// Runs the shipped trigger with the real binary, given `files` as rpm gives them.
    static func fireTrigger(_ world: World, files: [String]) throws -> CLI.Result {
        try Command.run(
            Fixtures.project("packaging/rpm-trigger"), [],
            stdin: files.filter { $0.hasPrefix("/boot/") }.joined(separator: "\n") + "\n",
            environment: [
                "AEM_RESEAL": CLI.executable.path, "AEM_RESEAL_ROOT": world.tree.root,
                "AEM_RESEAL_ARGS": "--tcti \(world.tpm.tcti) --event-log \(world.log)", "NO_COLOR": "1",
            ])
    }

    @Test func xenOnlyUpdateThroughRpmUnsealsOnTheNextBoot() throws {
        let world = try Self.bootedOnXen4173()
        let tree = world.tree
        let bootTime = try #require(try SystemLayout(root: tree.root).bootTime())
        let files = try Self.updateXen(world)
        #expect(!FileManager.default.fileExists(atPath: tree.boot + "/xen-4.17.3.gz"))
        let installedAt = try #require(
            try FileManager.default.attributesOfItem(atPath: tree.boot + "/xen-4.17.4.gz")[.modificationDate] as? Date)
        #expect(installedAt < bootTime, "rpm keeps the package's file time")

        // The prediction the trigger's stage stands on: exact, each verdict
        // on the boot record, and every new file vouched for: Xen by the rpm
        // database, grub.cfg as written by this dom0 after the boot began.
        let predict = try CLI.run([
            "predict", "--root", tree.root, "--tcti", world.tpm.tcti, "--event-log", world.log, "--json",
        ])
        let json = try predict.json()
        #expect((json["selfCheck"] as? [String: Any])?["status"] as? String == "ok", "\(predict.stdout)")
        let modules = try #require(json["modules"] as? [[String: Any]])
        let rungs = modules.map { (($0["imageChange"] as? [String: Any])?["rung"] as? String) ?? "?" }
        #expect(rungs == ["boot-record", "boot-record", "boot-record"])
        let provenance = modules.map { ($0["provenance"] as? [String: Any])?["status"] as? String ?? "?" }
        #expect(provenance == ["vouched", "booted", "booted"])
        #expect((modules[0]["provenance"] as? [String: Any])?["voucher"] as? String == "rpm-database")
        let configuration = try #require(json["grubConfiguration"] as? [[String: Any]])
        #expect(configuration.first?["path"] as? String == "/grub2/grub.cfg")
        #expect(
            (configuration.first?["provenance"] as? [String: Any])?["voucher"] as? String == "written-this-boot")
        #expect((json["provenance"] as? [String: Any])?["vouched"] as? Bool == true)

        let trigger = try Self.fireTrigger(world, files: files)
        #expect(trigger.status == 0)
        #expect(trigger.stdout.contains("installed boot files: xen-4.17.4.gz"), "\(trigger.stdout)")
        #expect(trigger.stdout.contains("done. Reboot dom0"), "\(trigger.stdout)")

        // The next boot: AEM's unseal commands open the secret.
        try world.tpm.powerCycle()
        _ = try BootSimulator.boot(
            tree.chain(flow: .detailsAuthorities, xen: "4.17.4", kernel: Self.kernel), on: world.tpm)
        #expect(
            try TPM2ToolsSeal.unseal(
                on: world.tpm, sealed: tree.sealedSet, secret: "txt", srkPassword: Self.srkPassword)
                == Array(BootTree.secretText.utf8))
    }

    /// Without a boot record nothing tells whether dom0 wrote the new
    /// grub.cfg (which chose the new Xen) or an evil maid did while the
    /// machine was off: the prediction still stands on the evidence ladder,
    /// but nothing is sealed, and the trigger says what to do.
    @Test func withoutABootRecordTheNewGrubConfigurationIsNotVouchedFor() throws {
        let world = try Self.bootedOnXen4173(record: false)
        let tree = world.tree
        let before = try tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub")
        let files = try Self.updateXen(world)

        let predict = try CLI.run([
            "predict", "--root", tree.root, "--tcti", world.tpm.tcti, "--event-log", world.log, "--json",
        ])
        let json = try predict.json()
        let modules = try #require(json["modules"] as? [[String: Any]])
        let rungs = modules.map { (($0["imageChange"] as? [String: Any])?["rung"] as? String) ?? "?" }
        #expect(rungs == ["none", "logged-measurement", "logged-measurement"])
        #expect(
            (json["provenance"] as? [String: Any])?["unvouched"] as? [String] == ["/grub2/grub.cfg", "/grub2/grubenv"])

        let trigger = try Self.fireTrigger(world, files: files)
        #expect(trigger.status == 0, "a refusal never fails the update")
        #expect(trigger.stdout.contains("GRUB configuration /grub2/grub.cfg"), "\(trigger.stdout)")
        #expect(trigger.stdout.contains("could not seal ahead"), "\(trigger.stdout)")
        #expect(try tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub") == before)
    }

    /// The evil maid's plan: while the machine is off, add a modified
    /// kernel and its initramfs that nothing references (this boot is
    /// untouched and shows the secret); then a genuine Xen update's
    /// grub2-mkconfig picks the highest kernel version, the planted one.
    /// The trigger must not seal to it, and the planted boot shows nothing.
    @Test func aPlantedKernelIsNeverSealedAndItsBootShowsNoSecret() throws {
        let planted = "6.6.99-1.qubes.fc37.x86_64"
        let world = try Self.bootedOnXen4173 { tree in
            try tree.installKernel(planted, seed: 99, packaged: false)
        }
        let tree = world.tree
        let before = try tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub")
        let files = try Self.updateXen(world)
        let entry = try String(contentsOfFile: tree.boot + "/grub2/grub.cfg", encoding: .utf8)
        #expect(entry.contains("/vmlinuz-\(planted)"), "grub2-mkconfig picked the planted kernel")

        let trigger = try Self.fireTrigger(world, files: files)
        #expect(trigger.status == 0, "a refusal never fails the update")
        #expect(trigger.stdout.contains("nothing was sealed"), "\(trigger.stdout)")
        #expect(trigger.stdout.contains("dom0 kernel /vmlinuz-\(planted)"), "\(trigger.stdout)")
        #expect(trigger.stdout.contains("initramfs /initramfs-\(planted).img"), "\(trigger.stdout)")
        #expect(trigger.stdout.contains("no installed package owns /boot/vmlinuz-\(planted)"), "\(trigger.stdout)")
        #expect(trigger.stdout.contains("could not seal ahead"), "\(trigger.stdout)")
        #expect(try tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub") == before)
        // stage on its own says the same, with its exit status, and --force does not cover it.
        let forced = try CLI.run([
            "stage", "--root", tree.root, "--tcti", world.tpm.tcti, "--event-log", world.log, "--yes", "--force",
        ])
        #expect(forced.status == 1)
        #expect(forced.stderr.contains("--vouch-for /vmlinuz-\(planted)"), "\(forced.stderr)")
        #expect(forced.stderr.contains("--force does not cover this"))
        #expect(try tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub") == before)

        // The next boot measures the planted kernel: no secret.
        try world.tpm.powerCycle()
        _ = try BootSimulator.boot(
            tree.chain(flow: .detailsAuthorities, xen: "4.17.4", kernel: planted), on: world.tpm)
        #expect(
            try TPM2ToolsSeal.unseal(
                on: world.tpm, sealed: tree.sealedSet, secret: "txt", srkPassword: Self.srkPassword)
                == nil)
    }

    @Test func kernelOnlyUpdateThroughRpmUnsealsOnTheNextBoot() throws {
        let world = try Self.bootedOnXen4173()
        let tree = world.tree
        let newKernel = "6.6.22-1.qubes.fc37.x86_64"
        // The kernel package ships vmlinuz; its scriptlet runs dracut, which
        // writes the initramfs, and grub2-mkconfig.
        try tree.installKernel(newKernel, seed: 20, packaged: false)
        let kernel = TestPackage(
            name: "kernel", version: "6.6.22",
            files: ["/boot/vmlinuz-\(newKernel)": try Self.packaged("boot/vmlinuz-\(newKernel)", from: tree)])
        let rpm = try kernel.build(in: world.work)
        try TestPackage.install(rpm, root: tree.root)
        try tree.writeGrubConfiguration()

        // The kernel is the package's; the initramfs dracut wrote during
        // this boot: both vouched for, so the legitimate update stages.
        let predict = try CLI.run([
            "predict", "--root", tree.root, "--tcti", world.tpm.tcti, "--event-log", world.log, "--json",
        ])
        let modules = try #require(try predict.json()["modules"] as? [[String: Any]])
        let vouchers = modules.map { ($0["provenance"] as? [String: Any])?["voucher"] as? String ?? "-" }
        #expect(vouchers == ["-", "rpm-database", "written-this-boot"], "\(predict.stdout)")

        let trigger = try Self.fireTrigger(world, files: try TestPackage.fileList(of: rpm))
        #expect(trigger.status == 0)
        #expect(trigger.stdout.contains("done. Reboot dom0"), "\(trigger.stdout)")

        try world.tpm.powerCycle()
        _ = try BootSimulator.boot(
            tree.chain(flow: .detailsAuthorities, xen: "4.17.3", kernel: newKernel), on: world.tpm)
        #expect(
            try TPM2ToolsSeal.unseal(
                on: world.tpm, sealed: tree.sealedSet, secret: "txt", srkPassword: Self.srkPassword)
                == Array(BootTree.secretText.utf8))
    }

    /// Installing aem-reseal lists every file on /boot; nothing the seal
    /// covers changed, so nothing is sealed and the trigger says so.
    @Test func installingAemResealItselfChangesNothing() throws {
        let world = try Self.bootedOnXen4173()
        let tree = world.tree
        let before = try tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub")
        let everything = try FileManager.default.subpathsOfDirectory(atPath: tree.boot).map { "/boot/" + $0 }

        let trigger = try Self.fireTrigger(world, files: everything)
        #expect(trigger.status == 0)
        #expect(trigger.stdout.contains("Nothing to seal:"), "\(trigger.stdout)")
        #expect(trigger.stdout.contains("nothing to do"))
        #expect(!trigger.stdout.contains("Reboot dom0"))
        #expect(try tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub") == before)
        #expect(!FileManager.default.fileExists(atPath: tree.root + "/var/lib/aem-reseal/state.json"))
    }
}
