import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// What grub-emu (GRUB 2.06) shows about the places the evaluator models
/// or calls unknown: a hash check really decides a branch at boot, and a
/// search by UUID or label finds the boot partition as the settings say.
@Suite struct GrubEmuUnknownTests {
    /// `sha256sum -c` succeeds or fails with the file's content at boot:
    /// GRUB takes one branch or the other, so the project calls the status
    /// unknown either way rather than vouching for the branch it ran.
    @Test func aHashCheckDecidesGrubsBranch() throws {
        let directory = try TemporaryDirectory()
        let image = try directory.write("initramfs.img", "genuine initramfs")
        let digest = HashAlgorithm.sha256.hash(Array("genuine initramfs".utf8)).hex
        try directory.write("sums", "\(digest)  (host)\(image)\n")
        let configuration = """
            if sha256sum -c (host)\(directory.path("sums")); then set default=1; fi
            menuentry 'genuine' { multiboot2 /xen.gz placeholder }
            menuentry 'attacker' { multiboot2 /xen.gz placeholder iommu=0 }
            """
        try directory.write("original.cfg", configuration)
        try directory.write("grub.cfg", GrubEmu.prelude + configuration + GrubEmu.epilogue)
        #expect(try GrubEmu.run(folder: directory.path).boot.title == "attacker")
        try directory.write("initramfs.img", "rebuilt initramfs")
        #expect(try GrubEmu.run(folder: directory.path).boot.title == "genuine")
        let grub = try GrubConfiguration.load(
            GrubEmuDifferentialTests.settings(
                boot: "/", configuration: directory.path("original.cfg"), device: "host"))
        let entry = try grub.boot(try #require(grub.defaultEntry()))
        #expect(entry.unknownInfluences.map(\.kind) == [.unmodelledStatus("sha256sum")])
    }

    /// GRUB's search on a disk whose file system has the boot partition's
    /// UUID and label: `--set=VAR`, `--set` alone (root), the UUID in any
    /// case, the label exactly. The project, given them, says the same
    /// words with nothing unknown; a UUID that is not the partition's is
    /// unknown to it, whatever GRUB then finds.
    @Test func searchFindsTheBootPartitionAsGrubDoes() throws {
        let uuid = "7c9e8c0a-015c-4ad4-874e-5d25c78f02b4"
        let configuration = """
            set root=hd9
            search --no-floppy --fs-uuid --set=root --hint-bios=hd0,msdos1 --hint='hd0,msdos1' \(uuid.uppercased())
            search --label --set=found qubes-boot
            search -u -s \(uuid)
            menuentry 'T' { multiboot2 ($root)/xen.gz "$found" "$root"; }
            """
        let directory = try TemporaryDirectory()
        try directory.write("partition/grub2/grub.cfg", configuration)
        try directory.write("partition/xen.gz", "xen")
        try Command.check("cp", ["-a", directory.path("partition"), directory.path("image")])
        try directory.write("image/grub2/grub.cfg", GrubEmu.prelude + configuration + GrubEmu.epilogue)
        let grub = try GrubEmu.Disk(folder: directory.path("image"), uuid: uuid, label: "qubes-boot").run().boot
        #expect(grub.commands == [.init(name: "multiboot2", arguments: ["(hd0)/xen.gz", "hd0", "hd0"])])
        var settings = GrubEmuDifferentialTests.settings(
            boot: directory.path("partition"), configuration: directory.path("partition/grub2/grub.cfg"),
            device: "hd0")
        settings.bootPartitionUUID = uuid
        settings.bootPartitionLabel = "qubes-boot"
        let project = try GrubConfiguration.load(settings)
        let entry = try project.boot(try #require(project.defaultEntry()))
        #expect(entry.kernelPath == "/xen.gz" && entry.kernelArguments == ["hd0", "hd0"])
        #expect(entry.unknowns.isEmpty, "\(entry.unknowns)")
        settings.bootPartitionUUID = "00000000-0000-4000-8000-000000000000"
        let other = try GrubConfiguration.load(settings)
        // Either search may find nothing and leave `root` as it was.
        let influences = try other.boot(try #require(other.defaultEntry())).unknownInfluences
        #expect(influences.map(\.kind) == [.unresolvedSearch(variable: "root"), .unresolvedSearch(variable: "root")])
        #expect(influences.map(\.line) == [2, 4])
    }

    /// `savedefault` in the chosen entry writes `$chosen`, the path GRUB
    /// names it by, into grubenv: the block GRUB leaves on a disk is the
    /// one the project predicts, and the write is listed.
    @Test func savedefaultWritesTheChosenPathAsGrubDoes() throws {
        let configuration = """
            load_env
            set default="${saved_entry}"
            function savedefault { saved_entry="${chosen}"; save_env saved_entry; }
            submenu 'Advanced' --id adv {
              menuentry 'Old' --id old { savedefault; multiboot2 /old.gz; }
              menuentry 'New' --id new { savedefault; multiboot2 /new.gz; }
            }
            """
        let comparison = try GrubEmuDifferentialTests.compare(
            configuration, environment: ["saved_entry": "0>1"], onDisk: true)
        #expect(
            GrubEmuDifferentialTests.difference(comparison) == nil,
            "\(GrubEmuDifferentialTests.difference(comparison) ?? "")")
        #expect(comparison.grub.boot.commands == [.init(name: "multiboot2", arguments: ["/new.gz"])])
        let written = try #require(comparison.environment?.project)
        #expect(String(decoding: written, as: UTF8.self).contains("saved_entry=adv>new\n"))
    }
}
