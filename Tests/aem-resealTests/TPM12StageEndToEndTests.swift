import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// Whole update cycles on a TPM 1.2 (swtpm in 1.2 mode behind TrouSerS'
/// tcsd), with the legacy PCR mapping: AEM's TPM 1.2 commands (`tpm_sealdata -z`) seal
/// before, the real `tpm_unsealdata -z` opens what `stage` wrote at the
/// next boot.
@Suite(.serialized) struct TPM12StageEndToEndTests {
    static let kernel = "6.6.21-1.qubes.fc37.x86_64"
    static let newKernel = "6.6.29-1.qubes.fc37.x86_64"
    static let sealPCRs: [UInt32] = [13, 17, 18, 19]
    static let secrets: [(String, [UInt8])] = [
        ("txt", Array(BootTree.secretText.utf8)), ("otp", Array("JBSWY3DPEHPK3PXP\n".utf8)),
        ("fre", testBytes(20, seed: 99)),
    ]

    struct Machine: @unchecked Sendable {
        var tree: BootTree
        var tpm: SoftwareTPM12
        var oldChain: SimulatedChain
        var log: String

        func run(_ arguments: [String]) throws -> CLI.Result {
            try CLI.run(arguments, environment: tpm.environment)
        }

        func unseal(_ ext: String) throws -> [UInt8]? {
            try TPMToolsSeal12.unseal(on: tpm, sealed: tree.sealedSet, secret: ext)
        }

        func unsealsEverySecret() throws -> Bool {
            try TPM12StageEndToEndTests.secrets.allSatisfy { ext, expected in try unseal(ext) == expected }
        }

        func boot(_ chain: SimulatedChain) throws {
            try tpm.powerCycle()
            _ = try BootSimulator.boot(chain, on: tpm)
        }
    }

    /// A TPM 1.2 dom0 (sysfs says version 1) booted on Xen 4.17.3 with
    /// AEM's `tpm_sealdata` seal in place, its SRK the well-known secret.
    static func machine() throws -> Machine {
        let tree = try BootTree(seal: "--pcr 13 --pcr 17 --pcr 18 --pcr 19", tpmVersionMajor: 1)
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel(kernel, seed: 10)
        try tree.writeGrubConfiguration()
        try tree.installAEM(srkPassword: "")
        let tpm = try SoftwareTPM12()
        let oldChain = tree.chain(flow: .legacy, xen: "4.17.3", kernel: kernel)
        let log = try tree.directory.write("drtm.log", try BootSimulator.boot(oldChain, on: tpm))
        try tree.recordBoot(["--event-log", log], environment: tpm.environment)
        try TPMToolsSeal12.seal(on: tpm, plaintext: tree.plaintextSecrets, sealed: tree.sealedSet, pcrs: sealPCRs)
        try tree.copySealedSetToMedia()
        let machine = Machine(tree: tree, tpm: tpm, oldChain: oldChain, log: log)
        #expect(try machine.unsealsEverySecret())
        return machine
    }

    @Test func xenUpdateSealedAheadOpensWithTpmUnsealdataOnTheNextBoot() throws {
        let machine = try Self.machine()
        let tree = machine.tree
        let stockSet = try #require(SealedSet.fingerprint(at: tree.sealedSet))

        try tree.installXen("4.17.4", seed: 2)
        try tree.writeGrubConfiguration()
        let stage = try machine.run(["stage", "--root", tree.root, "--event-log", machine.log, "--yes"])
        #expect(stage.status == 0, "\(stage.stderr)")
        #expect(stage.stdout.contains("Sealed PCRs that change: 18 (sha1 bank)"), "\(stage.stdout)")
        #expect(!stage.stdout.contains(BootTree.secretText.trimmingCharacters(in: .newlines)))

        // AEM's TPM 1.2 layout: only tpm_sealdata files, private.
        let names = try FileManager.default.contentsOfDirectory(atPath: tree.sealedSet).sorted()
        #expect(names == ["aem-reseal.id", "secret.fre.sealed2", "secret.otp.sealed2", "secret.txt.sealed2"])
        for name in names where name.hasSuffix(".sealed2") {
            let bytes = try FileBytes.read(tree.sealedSet + "/" + name)
            #expect(try TSSSealedFile.parse(bytes).rendered() == bytes, "\(name)")
            #expect(
                (try FileManager.default.attributesOfItem(atPath: tree.sealedSet + "/" + name)[.posixPermissions]
                    as? Int) == 0o600)
        }
        #expect(SealedSet.format(at: tree.sealedSet) == .tpm12)
        #expect(SealedSet.fingerprint(at: tree.directory.path("var/lib/aem-reseal/aem/previous")) == stockSet)
        // This boot's PCRs are not the predicted ones yet.
        #expect(try machine.unseal("txt") == nil)

        // The checklist reads the seal back offline: sealed to the prediction.
        let checklist = try machine.run(["checklist", "--root", tree.root, "--event-log", machine.log, "--json"])
        let items = try JSONSerialization.jsonObject(with: Data(checklist.stdout.utf8)) as? [String: Any]
        let byID = Dictionary(
            uniqueKeysWithValues: ((items?["items"] as? [[String: Any]]) ?? []).map { ($0["id"] as? String ?? "", $0) })
        #expect(byID["staged-seal"]?["status"] as? String == "pass", "\(String(describing: byID["staged-seal"]))")
        #expect(byID["tpm"]?["status"] as? String == "pass", "\(String(describing: byID["tpm"]))")

        // The next boot: every secret opens, and verify says the prediction held.
        try machine.boot(tree.chain(flow: .legacy, xen: "4.17.4", kernel: Self.kernel))
        #expect(try machine.unsealsEverySecret())
        try tree.startBoot()
        let verify = try machine.run(["verify", "--root", tree.root])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

        // One byte of Xen flipped: nothing opens.
        var evilChain = tree.chain(flow: .legacy, xen: "4.17.4", kernel: Self.kernel)
        evilChain.modules[0].file = try tree.tamperedCopy(of: tree.boot + "/xen-4.17.4.gz")
        try machine.boot(evilChain)
        #expect(try machine.unseal("txt") == nil)

        // Rollback: AEM's set is back and opens on the old chain.
        let rollback = try machine.run(["rollback", "--root", tree.root, "--yes"])
        #expect(rollback.status == 0, "\(rollback.stderr)")
        #expect(SealedSet.fingerprint(at: tree.sealedSet) == stockSet)
        try machine.boot(machine.oldChain)
        #expect(try machine.unsealsEverySecret())
    }

    @Test func kernelOnlyUpdateChangesPCR19Only() throws {
        let machine = try Self.machine()
        let tree = machine.tree
        try tree.installKernel(Self.newKernel, seed: 30)
        try tree.writeGrubConfiguration()

        let predict = try machine.run(["predict", "--root", tree.root, "--event-log", machine.log, "--json"])
        #expect(predict.status == 0, "\(predict.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(predict.stdout.utf8)) as? [String: Any]
        #expect((document?["selfCheck"] as? [String: Any])?["status"] as? String == "ok")
        #expect(
            (document?["changed"] as? [String: [Int]])?["sha1"] == [19], "\(String(describing: document?["changed"]))")

        // A wrong SRK password: refused, nothing changed.
        let stockSet = SealedSet.fingerprint(at: tree.sealedSet)
        try tree.directory.write("run/anti-evil-maid/srk-password", "not the SRK secret\n", mode: 0o600)
        let refused = try machine.run(["stage", "--root", tree.root, "--event-log", machine.log, "--yes"])
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("the TPM refused the SRK password"), "\(refused.stderr)")
        #expect(SealedSet.fingerprint(at: tree.sealedSet) == stockSet)

        try tree.directory.write("run/anti-evil-maid/srk-password", "\n", mode: 0o600)
        let stage = try machine.run(["stage", "--root", tree.root, "--event-log", machine.log, "--yes"])
        #expect(stage.status == 0, "\(stage.stderr)")
        try machine.boot(tree.chain(flow: .legacy, xen: "4.17.3", kernel: Self.newKernel))
        #expect(try machine.unsealsEverySecret())

        let rollback = try machine.run(["rollback", "--root", tree.root, "--yes"])
        #expect(rollback.status == 0, "\(rollback.stderr)")
        try machine.boot(machine.oldChain)
        #expect(try machine.unsealsEverySecret())
    }
}
