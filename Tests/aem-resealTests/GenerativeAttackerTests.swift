import AEMCore
import AEMTestSupport
import Foundation
import SystemPackage
import Testing

/// The offline attacker, generated: for each seed an `OfflineAttacker`
/// plants a few things on /boot while dom0 is off (odd byte names, links,
/// sizes around every bound, sparse hogs, a `custom.cfg`, `grubenv`
/// entries, genuine files where they do not belong), the boot in between
/// shows the secret and is recorded (and, with hogs, shut down with
/// `record --shutdown` and the hogs removed while off again), then a
/// genuine Xen update runs through real rpm and the package's trigger.
/// GRUB itself (grub-emu on the real partition) then makes the next boot.
/// The property: a chain with any planted byte in it (a module that is not
/// the genuine file of its entry, or a command line no genuine entry has)
/// never opens under Qubes' own unseal.
///
/// `make test` runs `AEM_ATTACK_SEEDS` seeds (4) from `AEM_ATTACK_FIRST_SEED`
/// (0); `make fuzz` runs more from a new seed. A failure names its seed.
@Suite(.serialized) struct GenerativeAttackerTests {
    static let seeds = Int(ProcessInfo.processInfo.environment["AEM_ATTACK_SEEDS"] ?? "") ?? 4
    static let firstSeed = UInt64(ProcessInfo.processInfo.environment["AEM_ATTACK_FIRST_SEED"] ?? "") ?? 0
    static let kernel = OfflineAttackTests.kernel
    static let older = OfflineAttackTests.older

    /// One entry's chain as the simulator measures it: each module's file
    /// content and command line.
    struct Chain: Hashable, CustomStringConvertible {
        var modules: [String]

        init(_ chain: SimulatedChain) throws {
            modules = try chain.modules.map { module in
                try Python.hash("sha256", try Data(contentsOf: URL(fileURLWithPath: module.file)).map { $0 })
                    + " " + module.loaded + " " + module.commandLine
            }
        }

        var description: String { modules.joined(separator: "\n    ") }
    }

    /// Every chain a genuine entry boots after the update (which removed
    /// Xen 4.17.3 with its package): Xen 4.17.4 with each kernel, normal
    /// and recovery, their genuine files (captured before anything is
    /// planted: `genuine` maps a /boot file to a copy).
    static func genuineChains(_ tree: BootTree, genuine: [String: String]) throws -> Set<Chain> {
        var chains = Set<Chain>()
        for xen in ["4.17.4"] {
            for kernel in [kernel, older] {
                for recovery in [false, true] {
                    var chain = tree.chain(flow: .detailsAuthorities, xen: xen, kernel: kernel)
                    if recovery {
                        chain.modules[0].commandLine =
                            (["placeholder"]
                            + tree.xenCommandLine.split(separator: " ")
                            .map(String.init)).joined(separator: " ")
                        chain.modules[1].commandLine =
                            (["placeholder", "root=/dev/mapper/qubes_dom0-root", "ro", "single"]
                            + tree.linuxCommandLine.split(separator: " ").map(String.init)
                            + ["aem.uuid=\(BootTree.bootUUID)", "rd.luks.key=/tmp/aem-keyfile", "rd.luks.crypttab=no"])
                            .joined(separator: " ")
                    }
                    for index in chain.modules.indices {
                        if let copy = genuine[chain.modules[index].file] { chain.modules[index].file = copy }
                    }
                    chains.insert(try Chain(chain))
                }
            }
        }
        return chains
    }

    @Test func noPlantedByteIsEverInAChainThatOpens() throws {
        var report = [String]()
        for seed in Self.firstSeed..<(Self.firstSeed + UInt64(Self.seeds)) {
            report.append(try Self.run(seed: seed))
        }
        print("generative attacker:\n" + report.joined(separator: "\n"))
    }

    /// One seed, end to end; its line for the report.
    static func run(seed: UInt64) throws -> String {
        let started = Date()
        let world = try GenuineAEMWorld()
        let tree = world.tree
        tree.grubCustomBlock = true
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel(older, seed: 5)
        try tree.installKernel(kernel, seed: 10)
        try tree.writeGrubConfiguration()
        try world.boot(launch: GenuineAEMCycleTests.tbootLaunch(tree, xen: "4.17.3"))

        // The genuine files, kept aside before the attacker comes.
        let keep = try TemporaryDirectory()
        var genuine = [String: String]()
        for name in ["vmlinuz-\(kernel)", "initramfs-\(kernel).img", "vmlinuz-\(older)", "initramfs-\(older).img"] {
            genuine[tree.boot + "/" + name] = try keep.write(name, try tree.directory.read("boot/" + name))
        }

        var attacker = OfflineAttacker(seed: seed, tree: tree, older: older, kernel: kernel, newXen: "4.17.4")
        try attacker.plant()
        let shown = try world.boot(launch: GenuineAEMCycleTests.tbootLaunch(tree, xen: "4.17.3"))
        #expect(try world.proved(shown.unseal), "seed \(seed): the boot before the update shows the secret")
        try tree.directory.write("current-drtm.log", try tree.directory.read("drtm.log"))
        if !attacker.hogFolders.isEmpty {
            let stop = try CLI.run(["record", "--shutdown", "--root", tree.root, "--tcti", world.tpm.tcti])
            #expect(stop.status == 0, "seed \(seed): \(stop.stderr)")
            for folder in attacker.hogFolders { try FileManager.default.removeItem(atPath: folder) }
            let again = try world.boot(launch: GenuineAEMCycleTests.tbootLaunch(tree, xen: "4.17.3"))
            #expect(try world.proved(again.unseal), "seed \(seed)")
            try tree.directory.write("current-drtm.log", try tree.directory.read("drtm.log"))
        }

        let trigger = try OfflineAttackTests.updateXen(world)
        #expect(trigger.status == 0, "seed \(seed): a refusal never fails the update: \(trigger.stderr)")
        let sealed = trigger.stdout.contains("done. Reboot dom0")

        let grub = try GrubEmuDisk.boot(device: world.bootDevice, mountedAt: tree.boot)
        let booted = try tree.chain(booting: grub, flow: .detailsAuthorities)
        let planted = try !Self.genuineChains(tree, genuine: genuine).contains(Chain(booted))
        let next = try world.boot(record: false, seal: false) { tpm in try BootSimulator.boot(booted, on: tpm) }
        let opened = try world.proved(next.unseal)
        if planted {
            #expect(
                try world.showedNothing(next.unseal),
                "seed \(seed): a chain with planted bytes opened.\n  plantings: \(attacker.plantings)\n  GRUB booted: \(grub)\n  trigger: \(trigger.stdout)"
            )
        }
        let seconds = Int(Date().timeIntervalSince(started).rounded())
        return "  seed \(seed) (\(seconds) s): \(attacker.plantings.joined(separator: "; ")) -> "
            + (sealed ? "sealed" : "refused") + ", GRUB boots " + (planted ? "planted bytes" : "a genuine entry")
            + ", " + (opened ? "it opens" : "nothing shown")
    }
}
