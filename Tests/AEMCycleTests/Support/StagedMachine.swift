import AEMCore
import AEMCycle
import AEMTestSupport
import Foundation

/// A dom0 on a real TPM (swtpm) that booted Xen 4.17.3 with AEM's own seal
/// (made by AEM's tpm2-tools commands, copied to its media, /boot here), recorded that boot through the
/// record engine, then installed Xen 4.17.4 from its package: the state in
/// which `stage` runs. No aem-reseal binary is involved.
struct StagedMachine {
    static let srkPassword = "srk pass phrase"
    static let kernel = "6.6.21-1.qubes.fc37.x86_64"

    let tree: BootTree
    let tpm: SoftwareTPM
    let log: String
    /// AEM's own sealed set of the running boot: its `key.pub`.
    let stockKey: [UInt8]

    /// - Parameter whileOff: what happens to /boot before the boot, after
    ///   GRUB's configuration was written (an evil maid's visit).
    init(whileOff: (BootTree) throws -> Void = { _ in }) throws {
        tree = try BootTree()
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel(Self.kernel, seed: 10)
        try tree.writeGrubConfiguration()
        try whileOff(tree)
        try tree.installAEM(srkPassword: Self.srkPassword)
        tpm = try SoftwareTPM()
        try TPM2ToolsSeal.provisionSRK(on: tpm, password: Self.srkPassword)
        log = try tree.directory.write("drtm.log", try BootSimulator.boot(Self.chain(tree, xen: "4.17.3"), on: tpm))
        _ = try BootRecorder(
            BootContext(
                system: SystemSelection(root: tree.root, eventLog: log),
                tpm: TPMChoice(tcti: tpm.tcti, alternatives: ""))
        ).record()
        try TPM2ToolsSeal.seal(
            on: tpm, plaintext: tree.plaintextSecrets, sealed: tree.sealedSet, pcrs: [13, 17, 18],
            srkPassword: Self.srkPassword)
        try tree.copySealedSetToMedia()
        stockKey = try tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub")
        try tree.installXen("4.17.4", seed: 2)
        try tree.writeGrubConfiguration()
    }

    var selection: SystemSelection { SystemSelection(root: tree.root, eventLog: log) }
    var tpmChoice: TPMChoice { TPMChoice(tcti: tpm.tcti, alternatives: "") }

    static func chain(_ tree: BootTree, xen: String) -> SimulatedChain {
        tree.chain(flow: .detailsAuthorities, xen: xen, kernel: kernel)
    }

    /// `stage` through its engine, unattended but for the confirmation `confirm` asks for.
    func stage(
        _ context: BootContext, ui: ScriptedUser, confirm: Bool = false, vouching: Vouching = Vouching()
    ) throws -> StageOutcome {
        let request = StageRequest(vouching: vouching, interactive: false, confirm: confirm, userCanConsent: false)
        switch try Staging.run(request, in: context, ui: ui) {
        case let .staged(outcome): return outcome
        case let .nothingToSeal(reason): throw Command.Failure(description: "nothing to seal: \(reason)")
        }
    }

    /// Boots `xen` on the TPM in a new boot (`btime` now), as the machine would after a reboot.
    func reboot(into xen: String, replacing file: String? = nil) throws {
        try tpm.powerCycle()
        var chain = Self.chain(tree, xen: xen)
        if let file { chain.modules[0].file = file }
        _ = try BootSimulator.boot(chain, on: tpm)
        try tree.startBoot()
    }

    /// Whether AEM's own unseal commands open the text secret on the TPM's current PCRs.
    func unsealedText() throws -> String? {
        try TPM2ToolsSeal.unseal(on: tpm, sealed: tree.sealedSet, secret: "txt", srkPassword: Self.srkPassword)
            .map { String(decoding: $0, as: UTF8.self) }
    }
}
