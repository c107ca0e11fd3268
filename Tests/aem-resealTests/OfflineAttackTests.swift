import AEMCore
import AEMTestSupport
import Foundation
import SystemPackage
import Testing

/// The offline attacker: while dom0 is off, /boot is theirs (dom0's
/// encrypted root is not). They hide a planted file from the boot's
/// snapshot of /boot (a name that is not UTF-8, a size past an old bound, a
/// budget spent by "hog" files) so that "not in the snapshot" reads as
/// "written by dom0", and wait for the next genuine Xen update to make
/// GRUB boot their chain. Each attack runs end to end: Qubes' own AEM
/// (tboot, TPM 2.0) seals and shows the secret on the genuine boot, the
/// package's real rpm trigger runs after the update, and GRUB itself
/// (grub-emu on the real boot partition) chooses the attacker's boot, where
/// Qubes' own unseal must show nothing.
@Suite(.serialized) struct OfflineAttackTests {
    static let kernel = GenuineAEMCycleTests.kernel
    static let older = "6.6.20-1.qubes.fc37.x86_64"
    static let device = BootTree.deviceID

    /// A dom0 with Qubes' AEM, Xen 4.17.3 and two genuine kernels from their
    /// packages, grub.cfg as grub2-mkconfig writes it (with `41_custom`),
    /// booted once so that AEM seals. `offline` is what the attacker does
    /// while it is off; then the boot that shows the secret (recorded: the
    /// snapshot of /boot is taken), and with `shutdown` its record's stop step.
    static func booted(shutdown: Bool = false, offline: (BootTree) throws -> Void) throws -> GenuineAEMWorld {
        let world = try GenuineAEMWorld()
        let tree = world.tree
        tree.grubCustomBlock = true
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel(older, seed: 5)
        try tree.installKernel(kernel, seed: 10)
        try tree.writeGrubConfiguration()
        try world.boot(launch: GenuineAEMCycleTests.tbootLaunch(tree, xen: "4.17.3"))
        try offline(tree)
        let shown = try world.boot(launch: GenuineAEMCycleTests.tbootLaunch(tree, xen: "4.17.3"))
        #expect(try world.proved(shown.unseal), "the genuine boot shows the secret: \(shown.unseal.transcript)")
        try tree.directory.write("current-drtm.log", try tree.directory.read("drtm.log"))
        if shutdown {
            let stop = try CLI.run(["record", "--shutdown", "--root", tree.root, "--tcti", world.tpm.tcti])
            #expect(stop.status == 0, "\(stop.stderr)")
        }
        return world
    }

    /// The genuine Xen 4.17.4 update as dnf runs it: the package upgraded
    /// with real rpm, grub2-mkconfig rewriting grub.cfg (grubenv left as it
    /// is), then the package's file trigger, given the transaction's files.
    static func updateXen(_ world: GenuineAEMWorld) throws -> CLI.Result {
        let tree = world.tree
        let work = try TemporaryDirectory()
        try tree.installXen("4.17.4", seed: 2, packaged: false)
        let update = TestPackage(
            name: "xen-hypervisor", version: "4.17.4",
            files: ["/boot/xen-4.17.4.gz": try RpmUpdateEndToEndTests.packaged("boot/xen-4.17.4.gz", from: tree)])
        let rpm = try update.build(in: work)
        try TestPackage.install(rpm, root: tree.root, upgrade: true)
        try tree.writeGrubConfiguration(savedEntry: nil)
        return try Command.run(
            Fixtures.project("packaging/rpm-trigger"), [],
            stdin: try TestPackage.fileList(of: rpm).filter { $0.hasPrefix("/boot/") }.joined(separator: "\n") + "\n",
            environment: [
                "AEM_RESEAL": CLI.executable.path, "AEM_RESEAL_ROOT": tree.root,
                "AEM_RESEAL_ARGS": "--tcti \(world.tpm.tcti) --event-log \(tree.directory.path("current-drtm.log"))",
                "NO_COLOR": "1",
            ])
    }

    /// A file *name* planted while off (`xen-${a}.gz`, any content) and a
    /// grubenv that sets `a`: at the next genuine kernel update,
    /// grub2-mkconfig copies the name into the grub.cfg it writes, and GRUB
    /// expands `${a}` into the genuine Xen with `iommu=0` on its command
    /// line. grub.cfg is dom0's own and grubenv the one the boot began with,
    /// so both once passed; a red-team run (Qubes' unseal as the judge)
    /// showed the secret on that chain. Now "dom0 wrote it" vouches for no
    /// grub.cfg while /boot holds a name GRUB reads as script: refused,
    /// naming it, and the attacker's boot shows nothing.
    @Test func aPlantedNameThatGrubReadsAsScriptNeverGetsASeal() throws {
        let world = try Self.booted { tree in
            try tree.directory.write("boot/xen-${a}.gz", "not a xen")
            try tree.writeGrubEnvironment([
                "saved_entry": "xen-gnulinux-simple-\(BootTree.deviceID)", "a": "4.17.3.gz placeholder iommu=0 x",
            ])
        }
        let tree = world.tree
        let before = try InstalledPackageTests.sealedFiles(tree)
        let newKernel = "6.6.22-1.qubes.fc37.x86_64"
        try tree.installKernel(newKernel, seed: 20)
        try tree.writeGrubConfiguration(savedEntry: nil)
        let cfg = try String(contentsOfFile: tree.boot + "/grub2/grub.cfg", encoding: .utf8)
        #expect(cfg.contains("/xen-${a}.gz"), "grub2-mkconfig copied the planted name")
        let trigger = try Command.run(
            Fixtures.project("packaging/rpm-trigger"), [],
            stdin: "/boot/vmlinuz-\(newKernel)\n/boot/config-\(newKernel)\n",
            environment: [
                "AEM_RESEAL": CLI.executable.path, "AEM_RESEAL_ROOT": tree.root,
                "AEM_RESEAL_ARGS": "--tcti \(world.tpm.tcti) --event-log \(tree.directory.path("current-drtm.log"))",
                "NO_COLOR": "1",
            ])
        #expect(trigger.stdout.contains("nothing was sealed"), "\(trigger.stdout)")
        #expect(trigger.stdout.contains("/boot holds xen-${a}.gz"), "\(trigger.stdout)")
        #expect(try InstalledPackageTests.sealedFiles(tree) == before)

        let (grub, boot) = try Self.nextBoot(world)
        #expect(grub.commands.contains { $0.arguments.contains("iommu=0") }, "GRUB took the planted name: \(grub)")
        #expect(try world.showedNothing(boot.unseal), "\(boot.unseal.transcript)")
    }

    /// The next boot as GRUB really makes it from this /boot (grub-emu on
    /// the partition), judged by Qubes' unseal; what GRUB booted too.
    static func nextBoot(_ world: GenuineAEMWorld) throws -> (GrubEmu.Boot, GenuineAEMWorld.Boot) {
        let grub = try GrubEmuDisk.boot(device: world.bootDevice, mountedAt: world.tree.boot)
        let chain = try world.tree.chain(booting: grub, flow: .detailsAuthorities)
        let boot = try world.boot(record: false, seal: false) { tpm in try BootSimulator.boot(chain, on: tpm) }
        return (grub, boot)
    }

    /// `name` (bytes) as a path under /boot on this machine.
    static func bootPath(_ tree: BootTree, _ name: [UInt8]) -> FilePath {
        FilePath(bytes: Array(tree.boot.utf8) + [UInt8(ascii: "/")] + name)!
    }

    /// Writes `bytes` at `name` (bytes, under /boot), making its folder.
    static func plant(_ tree: BootTree, _ name: [UInt8], _ bytes: [UInt8]) throws {
        let path = bootPath(tree, name)
        try path.removingLastComponent().withPlatformString { _ = mkdir($0, 0o755) }
        let file = try FileDescriptor.open(
            path, .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
        _ = try file.closeAfter { try file.writeAll(bytes) }
    }

    /// `saved_entry` for the entry of Xen 4.17.4 and `kernel`, which only
    /// the next Xen update brings. By titles: until then no title on the
    /// path matches below the submenu, and GRUB falls back to the first
    /// item at each level, the genuine newest chain (ids would not: the
    /// kernel's id is the same under every Xen).
    static func savedEntry(kernel: String) -> String {
        "Advanced options with AEM boot for Qubes (with Xen hypervisor)>Xen hypervisor, version 4.17.4"
            + ">AEM Qubes, with Xen 4.17.4 and Linux \(kernel)"
    }

    static let evilInitramfs = Array("070701".utf8) + Array("evil initramfs: init=/bin/sh".utf8)

    /// Attack 1: the older kernel's initramfs replaced by a link into a
    /// folder whose name is not UTF-8, holding the planted image; grubenv
    /// chooses that kernel's entry under the Xen the next update brings.
    @Test func aPlantedInitramfsBehindANameThatIsNotUTF8IsNeverSealed() throws {
        let folder: [UInt8] = [0xFF, 0x2E]
        let world = try Self.booted { tree in
            try Self.plant(tree, folder + Array("/i".utf8), Self.evilInitramfs)
            let image = tree.boot + "/initramfs-\(Self.older).img"
            try FileManager.default.removeItem(atPath: image)
            try FilePath(image).withPlatformString { source in
                try FilePath(bytes: folder + Array("/i".utf8))!.withPlatformString { target in
                    guard symlink(target, source) == 0 else { throw Errno(rawValue: errno) }
                }
            }
            try tree.writeGrubEnvironment(["saved_entry": Self.savedEntry(kernel: Self.older)])
        }
        let before = try InstalledPackageTests.sealedFiles(world.tree)
        let trigger = try Self.updateXen(world)
        #expect(trigger.status == 0, "a refusal never fails the update")
        #expect(trigger.stdout.contains("nothing was sealed"), "\(trigger.stdout)")
        #expect(trigger.stdout.contains("initramfs /initramfs-\(Self.older).img"), "\(trigger.stdout)")
        #expect(
            trigger.stdout.contains("it was on /boot, unchanged, when this boot began"), "\(trigger.stdout)")
        #expect(try InstalledPackageTests.sealedFiles(world.tree) == before)

        let (grub, boot) = try Self.nextBoot(world)
        #expect(grub.commands.contains { $0.arguments.first == "/initramfs-\(Self.older).img" }, "\(grub)")
        #expect(try world.showedNothing(boot.unseal), "\(boot.unseal.transcript)")
    }

    /// Attack 2: the same planted image as a plain file over 1 GiB (mostly
    /// a hole), past the size bound the snapshot once had.
    @Test func aPlantedInitramfsOverOneGiBIsNeverSealed() throws {
        let world = try Self.booted { tree in
            let image = tree.boot + "/initramfs-\(Self.older).img"
            try Data(Self.evilInitramfs).write(to: URL(fileURLWithPath: image))
            try Command.check("truncate", ["-s", "\((1 << 30) + 4096)", image])
            try tree.writeGrubEnvironment(["saved_entry": Self.savedEntry(kernel: Self.older)])
        }
        let before = try InstalledPackageTests.sealedFiles(world.tree)
        let trigger = try Self.updateXen(world)
        #expect(trigger.status == 0)
        #expect(trigger.stdout.contains("initramfs /initramfs-\(Self.older).img"), "\(trigger.stdout)")
        // Hashed within the snapshot's time bound it is known unchanged; past it, unknown: never new.
        #expect(
            trigger.stdout.contains("it was on /boot, unchanged, when this boot began")
                || trigger.stdout.contains("does not know it as it was when the boot began: the snapshot's time bound"),
            "\(trigger.stdout)")
        #expect(try InstalledPackageTests.sealedFiles(world.tree) == before)

        let (_, boot) = try Self.nextBoot(world)
        #expect(try world.showedNothing(boot.unseal), "\(boot.unseal.transcript)")
    }

    /// The attacker's `custom.cfg`: once the new Xen is on /boot it makes
    /// its own entry the default, booting the genuine files with the
    /// genuine command lines plus Xen's IOMMU off and dom0 straight into a
    /// shell (the same LUKS devices: AEM's PCR 13 stays as it is).
    static func evilCustomConfiguration(_ tree: BootTree, padding: Int = 0) -> String {
        let kernel = Self.kernel
        return "# " + String(repeating: "x", count: padding) + "\n" + """
            if [ -f /xen-4.17.4.gz ]; then
              set default=aem-evil
              menuentry 'AEM Qubes, with Xen hypervisor' --id aem-evil {
                multiboot /tboot.gz \(BootTree.tbootCommandLine)
                module /xen-4.17.4.gz \(tree.expectedXenCommandLine()) iommu=0
                module /vmlinuz-\(kernel) \(tree.expectedKernelCommandLine()) init=/bin/sh
                module /initramfs-\(kernel).img
                module /GM45_GS45_PM45_SINIT_51.BIN
              }
            fi

            """
    }

    /// Attack 3: a planted `custom.cfg` (sourced by `41_custom`) behind a
    /// link into a folder whose name is not UTF-8.
    @Test func aPlantedCustomConfigurationBehindANameThatIsNotUTF8IsNeverSealed() throws {
        let folder: [UInt8] = [0xFE]
        let world = try Self.booted { tree in
            try Self.plant(tree, folder + Array("/c".utf8), Array(Self.evilCustomConfiguration(tree).utf8))
            try FilePath(tree.boot + "/grub2/custom.cfg").withPlatformString { source in
                try FilePath(bytes: Array("../".utf8) + folder + Array("/c".utf8))!.withPlatformString { target in
                    guard symlink(target, source) == 0 else { throw Errno(rawValue: errno) }
                }
            }
        }
        let before = try InstalledPackageTests.sealedFiles(world.tree)
        let trigger = try Self.updateXen(world)
        #expect(trigger.status == 0)
        #expect(trigger.stdout.contains("nothing was sealed"), "\(trigger.stdout)")
        #expect(trigger.stdout.contains("/grub2/custom.cfg"), "\(trigger.stdout)")
        #expect(
            trigger.stdout.contains("it was on /boot, unchanged, when this boot began"), "\(trigger.stdout)")
        #expect(try InstalledPackageTests.sealedFiles(world.tree) == before)

        let (grub, boot) = try Self.nextBoot(world)
        #expect(grub.commands.contains { $0.arguments.contains("iommu=0") }, "GRUB took the attacker's entry: \(grub)")
        #expect(try world.showedNothing(boot.unseal), "\(boot.unseal.transcript)")
    }

    /// Attack 4: `custom.cfg` as a plain file of 4 MiB, behind 2,100 "hog"
    /// files just smaller (holes, 8 GiB in all), so that the snapshot at boot
    /// cannot hash it; the shutdown record hashes it (the hogs' digests
    /// were kept), and the old rule entered it in the ledger as written
    /// during that boot. Off again, the attacker removes the hogs.
    @Test func aCustomConfigurationTheSnapshotCouldNotHashIsNeverLaundered() throws {
        let size = 4 << 20
        let world = try Self.booted(shutdown: true) { tree in
            let text = Self.evilCustomConfiguration(tree)
            try tree.directory.write(
                "boot/grub2/custom.cfg", Self.evilCustomConfiguration(tree, padding: size - text.utf8.count))
            #expect(try tree.directory.read("boot/grub2/custom.cfg").count == size)
            try FileManager.default.createDirectory(atPath: tree.boot + "/hogs", withIntermediateDirectories: true)
            for index in 0..<2100 {
                let hog = tree.boot + "/hogs/\(index)"
                FileManager.default.createFile(atPath: hog, contents: nil)
                guard truncate(hog, off_t(size - 1)) == 0 else { throw Errno(rawValue: errno) }
            }
        }
        let tree = world.tree
        let stamp = try #require(try SystemLayout(root: tree.root).bootTimeSeconds())
        let snapshot = try #require(try BootFileSnapshot.load(in: tree.root + "/var/lib/aem-reseal/boots/\(stamp)"))
        let unknown = try #require(snapshot.unknownReason(for: "/grub2/custom.cfg"), "the hogs came first")
        #expect([.overTime, .overBytes].contains(unknown.reason))
        let ledger = try WrittenFilesLedger.load(from: tree.root + "/var/lib/aem-reseal/written-files.json")
        #expect(ledger?.files["/grub2/custom.cfg"] == nil, "not entered as written during the boot")

        // Off again: the hogs go; the next boot shows the secret and is recorded.
        try FileManager.default.removeItem(atPath: tree.boot + "/hogs")
        let shown = try world.boot(launch: GenuineAEMCycleTests.tbootLaunch(tree, xen: "4.17.3"))
        #expect(try world.proved(shown.unseal))
        try tree.directory.write("current-drtm.log", try tree.directory.read("drtm.log"))
        let before = try InstalledPackageTests.sealedFiles(tree)
        let trigger = try Self.updateXen(world)
        #expect(trigger.status == 0)
        #expect(trigger.stdout.contains("/grub2/custom.cfg"), "\(trigger.stdout)")
        #expect(trigger.stdout.contains("nothing was sealed"), "\(trigger.stdout)")
        #expect(try InstalledPackageTests.sealedFiles(tree) == before)

        let (grub, boot) = try Self.nextBoot(world)
        #expect(grub.commands.contains { $0.arguments.contains("iommu=0") }, "\(grub)")
        #expect(try world.showedNothing(boot.unseal), "\(boot.unseal.transcript)")
    }

    /// Nothing planted: the same world's genuine update stages through the
    /// trigger, and the boot GRUB makes from it shows the secret.
    @Test func theGenuineUpdateStillStagesAndOpens() throws {
        let world = try Self.booted { _ in }
        let trigger = try Self.updateXen(world)
        #expect(trigger.stdout.contains("done. Reboot dom0"), "\(trigger.stdout)")
        let (grub, boot) = try Self.nextBoot(world)
        #expect(grub.commands.contains { $0.arguments.first == "/xen-4.17.4.gz" }, "\(grub)")
        #expect(try world.proved(boot.unseal), "\(boot.unseal.transcript)")
    }
}
