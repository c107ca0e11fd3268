import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// The dom0 update path as rpm really runs it: packages built with
/// rpmbuild, whose files carry their build time (before the boot), installed
/// with rpm; the file trigger fed the package's file list; no boot record;
/// then a simulated reboot where stock AEM's own commands must unseal.
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

    /// A dom0 with Xen 4.17.3 from its package, booted, AEM sealed by stock AEM.
    static func bootedOnXen4173() throws -> World {
        let tree = try BootTree()
        let work = try TemporaryDirectory()
        try tree.installKernel(kernel, seed: 10)
        try tree.installXen("4.17.3", seed: 1)
        let xen = TestPackage(
            name: "xen-hypervisor", version: "4.17.3",
            files: ["/boot/xen-4.17.3.gz": try packaged("boot/xen-4.17.3.gz", from: tree)])
        try TestPackage.install(try xen.build(in: work), root: tree.root)
        try tree.writeGrubConfiguration()
        let booted = try StockAEMBoot.boot(
            tree, chain: tree.chain(flow: .detailsAuthorities, xen: "4.17.3", kernel: kernel),
            srkPassword: srkPassword, cachedSRKPassword: srkPassword)
        return World(tree: tree, tpm: booted.tpm, log: booted.log, work: work)
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

    @Test func xenOnlyUpdateThroughRpmWithoutABootRecordUnsealsOnTheNextBoot() throws {
        let world = try Self.bootedOnXen4173()
        let tree = world.tree
        let bootTime = try #require(SystemLayout(root: tree.root).bootTime())

        // The update: xen-hypervisor 4.17.4 replaces 4.17.3 (its file removed),
        // then grub2-mkconfig rewrites grub.cfg.
        try tree.installXen("4.17.4", seed: 2)
        let update = TestPackage(
            name: "xen-hypervisor", version: "4.17.4",
            files: ["/boot/xen-4.17.4.gz": try Self.packaged("boot/xen-4.17.4.gz", from: tree)])
        let rpm = try update.build(in: world.work)
        try TestPackage.install(rpm, root: tree.root, upgrade: true)
        try tree.writeGrubConfiguration()
        #expect(!FileManager.default.fileExists(atPath: tree.boot + "/xen-4.17.3.gz"))
        let installedAt = try #require(
            try FileManager.default.attributesOfItem(atPath: tree.boot + "/xen-4.17.4.gz")[.modificationDate] as? Date)
        #expect(installedAt < bootTime, "rpm keeps the package's file time")

        // The prediction the trigger's stage stands on: exact, model proven
        // by the unchanged kernel and initramfs, and each verdict names its rung.
        let predict = try CLI.run([
            "predict", "--root", tree.root, "--tcti", world.tpm.tcti, "--event-log", world.log, "--json",
        ])
        let json = try predict.json()
        #expect((json["selfCheck"] as? [String: Any])?["status"] as? String == "ok", "\(predict.stdout)")
        let modules = try #require(json["modules"] as? [[String: Any]])
        let rungs = modules.map { (($0["imageChange"] as? [String: Any])?["rung"] as? String) ?? "?" }
        #expect(rungs == ["none", "logged-measurement", "logged-measurement"])

        let trigger = try Self.fireTrigger(world, files: try TestPackage.fileList(of: rpm))
        #expect(trigger.status == 0)
        #expect(trigger.stdout.contains("installed boot files: xen-4.17.4.gz"), "\(trigger.stdout)")
        #expect(trigger.stdout.contains("done. Reboot dom0"), "\(trigger.stdout)")

        // The next boot: stock AEM opens the secret.
        try world.tpm.powerCycle()
        _ = try BootSimulator.boot(
            tree.chain(flow: .detailsAuthorities, xen: "4.17.4", kernel: Self.kernel), on: world.tpm)
        #expect(
            try StockAEM.unseal(on: world.tpm, sealed: tree.sealedSet, secret: "txt", srkPassword: Self.srkPassword)
                == Array(BootTree.secretText.utf8))
    }

    @Test func kernelOnlyUpdateThroughRpmUnsealsOnTheNextBoot() throws {
        let world = try Self.bootedOnXen4173()
        let tree = world.tree
        let newKernel = "6.6.22-1.qubes.fc37.x86_64"
        // The kernel package ships vmlinuz; its scriptlet runs dracut, which
        // writes the initramfs, and grub2-mkconfig.
        try tree.installKernel(newKernel, seed: 20)
        let kernel = TestPackage(
            name: "kernel", version: "6.6.22",
            files: ["/boot/vmlinuz-\(newKernel)": try Self.packaged("boot/vmlinuz-\(newKernel)", from: tree)])
        let rpm = try kernel.build(in: world.work)
        try TestPackage.install(rpm, root: tree.root)
        try tree.writeGrubConfiguration()

        let trigger = try Self.fireTrigger(world, files: try TestPackage.fileList(of: rpm))
        #expect(trigger.status == 0)
        #expect(trigger.stdout.contains("done. Reboot dom0"), "\(trigger.stdout)")

        try world.tpm.powerCycle()
        _ = try BootSimulator.boot(
            tree.chain(flow: .detailsAuthorities, xen: "4.17.3", kernel: newKernel), on: world.tpm)
        #expect(
            try StockAEM.unseal(on: world.tpm, sealed: tree.sealedSet, secret: "txt", srkPassword: Self.srkPassword)
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
