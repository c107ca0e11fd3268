import Foundation

/// GRUB itself choosing what boots from a real boot partition: grub-emu
/// given the partition's block device (or image) as its disk `(hd0)`, so
/// GRUB's own ext2 driver resolves every path, link and odd name, runs
/// `grub.cfg` and whatever it sources, reads and writes `grubenv` as at a
/// real boot, and `[ -f ... ]` sees the partition. The judge of which
/// chain an attacker's configuration really boots.
public enum GrubEmuDisk {
    /// The folder on the partition that holds the judge's own entry point:
    /// the printing loader functions, the partition's `/grub2/grub.cfg`
    /// read in place, then `GrubEmu.epilogue` (the configuration's own
    /// `pager` would otherwise stop the output at a screenful).
    static let harness = "aem-reseal-judge"

    /// What GRUB's normal mode sets before it reads `/grub2/grub.cfg` from
    /// the partition (grub-emu shows `configfile` setting the same), with
    /// the platform of the BIOS machine tboot boots (grub-emu calls itself
    /// `emu`, which the entries' `xen_rm_opts` test would take for EFI);
    /// TrenchBoot's `slaunch` commands, which grub-emu lacks, do nothing;
    /// then the configuration itself, run in the same context as at a boot.
    static let entry = """
        function slaunch { true; }
        function slaunch_module { true; }
        set grub_platform=pc
        set grub_cpu=i386
        set prefix=(hd0)/grub2
        set config_directory=(hd0)/grub2
        set config_file=(hd0)/grub2/grub.cfg
        source /grub2/grub.cfg

        """

    /// What GRUB boots by default from the file system of `device`, which
    /// is mounted at `mountPoint`: the judge's entry point is written
    /// there, the file system unmounted (as for a reboot) while GRUB runs,
    /// then mounted again and the entry point removed.
    public static func boot(device: LoopDevice, mountedAt mountPoint: String) throws -> GrubEmu.Boot {
        let folder = mountPoint + "/" + harness
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data((GrubEmu.prelude + entry + GrubEmu.epilogue).utf8).write(
            to: URL(fileURLWithPath: folder + "/grub.cfg"))
        let scratch = try TemporaryDirectory()
        let map = try scratch.write("device.map", "(hd0) \(device.device)\n")
        // Under the namespace lock: no sandbox holds a copy of the mount
        // meanwhile, so the unmount writes the file system out for GRUB.
        let run = try MachineLocks.withLock("mount-namespace") {
            try device.unmount()
            let run = Result { try GrubEmu.run(arguments: ["-m", map, "-r", "hd0", "-d", "/" + harness], timeout: 30) }
            try device.mount(at: mountPoint)
            return run
        }
        try FileManager.default.removeItem(atPath: folder)
        return try run.get().boot
    }
}

extension BootTree {
    /// The tboot chain GRUB's `boot` loads, for the simulator: each
    /// `module` after tboot's `multiboot` but the SINIT ACMs (which tboot
    /// drops), its file opened on this tree's /boot (the kernel follows a
    /// relative link as GRUB does; the tests plant no absolute one), loaded
    /// as GRUB loads it (gzip unpacked unless `--nounzip`).
    public func chain(booting boot: GrubEmu.Boot, flow: SimulatedChain.Flow) throws -> SimulatedChain {
        var modules = [SimulatedChain.Module]()
        for call in boot.commands where call.name == "module" || call.name == "module2" {
            var words = call.arguments
            let noUnzip = words.first == "--nounzip"
            if noUnzip { words.removeFirst() }
            guard let path = words.first else { continue }
            if path.uppercased().contains("SINIT") { continue }
            let file = self.boot + path
            let head = try FileHandle(forReadingFrom: URL(fileURLWithPath: file)).read(upToCount: 2) ?? Data()
            modules.append(
                .init(
                    file: file, commandLine: words.dropFirst().joined(separator: " "),
                    loaded: !noUnzip && head == Data([0x1F, 0x8B]) ? "gzip" : "raw"))
        }
        guard !modules.isEmpty else { throw Command.Failure(description: "GRUB booted nothing: \(boot)") }
        return SimulatedChain(flow: flow, modules: modules, luksHeader: nil)
    }
}

extension BootTree {
    /// The TrenchBoot chain GRUB's `boot` loads: Xen from `multiboot2`, the
    /// dom0 kernel and initramfs from `module2` (opened on this tree's
    /// /boot, loaded as GRUB loads them), and boot information that holds
    /// every word GRUB passed, as its MBI does (so other command lines give
    /// another PCR 18).
    public func trenchBootChain(booting boot: GrubEmu.Boot, vendor: SimulatedTrenchBootChain.Vendor) throws
        -> SimulatedTrenchBootChain
    {
        guard let xen = boot.commands.first(where: { $0.name == "multiboot2" })?.arguments.first else {
            throw Command.Failure(description: "GRUB booted no multiboot2 kernel: \(boot)")
        }
        let modules = try chain(
            booting: GrubEmu.Boot(title: boot.title, commands: boot.commands.filter { $0.name == "module2" }),
            flow: .detailsAuthorities
        ).modules
        let words = boot.commands.flatMap { [$0.name] + $0.arguments }.joined(separator: " ")
        return SimulatedTrenchBootChain(
            vendor: vendor, xen: self.boot + xen, modules: modules, mbi: Array(words.utf8), luksHeader: nil)
    }
}
