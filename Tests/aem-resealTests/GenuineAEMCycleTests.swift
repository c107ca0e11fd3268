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

    /// The boot the AEM entry makes now, on tboot (details/authorities).
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

    @Test(arguments: [GenuineAEMWorld.Secrets.text, .multiFactor])
    func xenUpdateSealedAheadOpensWithQubesOwnUnseal(secrets: GenuineAEMWorld.Secrets) throws {
        let world = try GenuineAEMWorld(secrets: secrets)
        let tree = world.tree
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel(Self.kernel, seed: 10)
        try tree.writeGrubConfiguration()

        // The first AEM boot: nothing sealed yet, AEM seals during it.
        let first = try world.boot(launch: Self.tbootLaunch(tree, xen: "4.17.3"))
        #expect(try !world.proved(first.unseal), "\(first.unseal.transcript)")
        // The same chain again: AEM's own seal opens (the judge works).
        let second = try world.boot(launch: Self.tbootLaunch(tree, xen: "4.17.3"))
        #expect(try world.proved(second.unseal), "\(second.unseal.transcript)")

        // The update, then stage.
        try tree.installXen("4.17.4", seed: 2)
        try tree.writeGrubConfiguration()
        let stage = try CLI.run([
            "stage", "--root", tree.root, "--tcti", world.tpm.tcti, "--event-log", second.log, "--yes",
        ])
        #expect(stage.status == 0, "\(stage.stdout)\(stage.stderr)")

        // The new chain: Qubes' unseal opens what aem-reseal sealed.
        let third = try world.boot(launch: Self.tbootLaunch(tree, xen: "4.17.4"))
        #expect(try world.proved(third.unseal), "\(third.unseal.transcript)")
    }
}
