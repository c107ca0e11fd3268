import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// A tboot update changes SINIT's MLE measurement (event 0x404). The
/// simulated SINIT values it with tboot's own lcp2_mlehash; the prediction
/// must match bit for bit, or refuse when nothing proves its model.
@Suite(.serialized) struct TbootUpdateTests {
    static let srkPassword = "srk pass phrase"
    static let kernel = "6.6.21-1.qubes.fc37.x86_64"

    struct World {
        var tree: BootTree
        var tpm: SoftwareTPM
        var log: String
    }

    /// Booted with Debian's real tboot measured by SINIT; AEM's tpm2-tools commands sealed.
    static func booted(record: Bool, flow: SimulatedChain.Flow = .detailsAuthorities) throws -> World {
        let tree = try BootTree()
        try tree.installRealTboot()
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel(kernel, seed: 10)
        try tree.writeGrubConfiguration()
        let booted = try TPM2ToolsBoot.boot(
            tree, chain: tree.chain(flow: flow, xen: "4.17.3", kernel: kernel, measureTboot: true),
            srkPassword: srkPassword, cachedSRKPassword: srkPassword, record: record)
        if record, booted.recordOutput?.contains("(they reproduce the log)") != true {
            throw Command.Failure(description: "record: \(booted.recordOutput ?? "")")
        }
        return World(tree: tree, tpm: booted.tpm, log: booted.log)
    }

    static func predict(_ world: World) throws -> [String: Any] {
        try CLI.run([
            "predict", "--root", world.tree.root, "--tcti", world.tpm.tcti, "--event-log", world.log, "--json",
        ]).json()
    }

    @Test func unchangedTbootReproducesItsMLEMeasurement() throws {
        let world = try Self.booted(record: false)
        let json = try Self.predict(world)
        #expect((json["selfCheck"] as? [String: Any])?["status"] as? String == "ok")
        let tboot = try #require(json["tboot"] as? [String: Any])
        #expect(tboot["sameAsCurrentBoot"] as? Bool == true)
        #expect((tboot["change"] as? [String: Any])?["rung"] as? String == "logged-measurement")
        #expect((json["changedSealedPcrs"] as? [UInt32]) == [])
    }

    /// With a boot record that saw this tboot file and command line
    /// reproduce the logged measurement, the unchanged tboot is proven by the
    /// record (one SHA-256 of the stored file), not measured again.
    @Test func unchangedTbootWithARecordIsProvenByTheRecord() throws {
        let world = try Self.booted(record: true)
        let json = try Self.predict(world)
        #expect((json["selfCheck"] as? [String: Any])?["status"] as? String == "ok")
        let tboot = try #require(json["tboot"] as? [String: Any])
        #expect(tboot["sameAsCurrentBoot"] as? Bool == true)
        let change = try #require(tboot["change"] as? [String: Any])
        #expect(change["rung"] as? String == "boot-record" && change["state"] as? String == "unchanged", "\(change)")
        #expect((json["changedSealedPcrs"] as? [UInt32]) == [])
    }

    /// Qubes' tboot package replaces /boot/tboot.gz in place: the boot
    /// record (the model reproduced this boot's MLE event at boot) proves
    /// the model, and the new tboot is predicted exactly.
    @Test func tbootUpdateIsPredictedExactlyAndTheNextBootUnseals() throws {
        let world = try Self.booted(record: true)
        let tree = world.tree
        try tree.installRealTboot(variant: 0x01)

        let json = try Self.predict(world)
        #expect((json["selfCheck"] as? [String: Any])?["status"] as? String == "ok", "\(json["selfCheck"] ?? "")")
        let tboot = try #require(json["tboot"] as? [String: Any])
        let change = try #require(tboot["change"] as? [String: Any])
        #expect(change["rung"] as? String == "boot-record" && change["state"] as? String == "changed")
        #expect((json["changedSealedPcrs"] as? [UInt32]) == [17])

        let stage = try CLI.run([
            "stage", "--root", tree.root, "--tcti", world.tpm.tcti, "--event-log", world.log, "--yes",
        ])
        #expect(stage.status == 0, "\(stage.stderr)")
        #expect(!stage.stdout.contains("will keep working"))
        // The summary agrees with the prediction: tboot (the MLE) changed.
        #expect(stage.stdout.contains("Changed components:\n  - tboot: /tboot.gz -> /tboot.gz\n"), "\(stage.stdout)")

        // The next boot: SINIT measures the new tboot (lcp2_mlehash).
        try world.tpm.powerCycle()
        _ = try BootSimulator.boot(
            tree.chain(flow: .detailsAuthorities, xen: "4.17.3", kernel: Self.kernel, measureTboot: true), on: world.tpm
        )
        #expect(
            try TPM2ToolsSeal.unseal(
                on: world.tpm, sealed: tree.sealedSet, secret: "txt", srkPassword: Self.srkPassword)
                == Array(BootTree.secretText.utf8))

        // Another tboot than the one sealed to: the secret stays sealed.
        try tree.installRealTboot(variant: 0x02)
        try world.tpm.powerCycle()
        _ = try BootSimulator.boot(
            tree.chain(flow: .detailsAuthorities, xen: "4.17.3", kernel: Self.kernel, measureTboot: true), on: world.tpm
        )
        #expect(
            try TPM2ToolsSeal.unseal(
                on: world.tpm, sealed: tree.sealedSet, secret: "txt", srkPassword: Self.srkPassword)
                == nil)
    }

    /// The legacy mapping (SINIT puts the MLE in PCR 18): predicted exactly too.
    @Test func tbootUpdateOnTheLegacyMappingChangesPCR18() throws {
        let world = try Self.booted(record: true, flow: .legacy)
        try world.tree.installRealTboot(variant: 0x01)
        let json = try Self.predict(world)
        #expect((json["selfCheck"] as? [String: Any])?["status"] as? String == "ok", "\(json["selfCheck"] ?? "")")
        let changed = try #require(json["changed"] as? [String: [UInt32]])
        #expect(changed["sha1"]?.contains(18) == true)
        #expect(changed["sha1"]?.contains(17) == false)
    }

    /// Without a record and with the booted tboot gone, nothing proves the
    /// MLE model: refused, never "will keep working".
    @Test func tbootChangeThatCannotBeProvenIsRefused() throws {
        let world = try Self.booted(record: false)
        let before = try world.tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub")
        try world.tree.installRealTboot(variant: 0x01)

        let predict = try CLI.run([
            "predict", "--root", world.tree.root, "--tcti", world.tpm.tcti, "--event-log", world.log,
        ])
        #expect(predict.status == 1)
        #expect(predict.stdout.contains("tboot /tboot.gz"), "\(predict.stdout)")
        #expect(predict.stdout.contains("cannot be proven"))
        #expect(predict.stdout.contains("SINIT's measurement of the new tboot"), "tboot's own words")
        #expect(!predict.stdout.contains("will keep working"))

        let stage = try CLI.run([
            "stage", "--root", world.tree.root, "--tcti", world.tpm.tcti, "--event-log", world.log, "--yes",
        ])
        #expect(stage.status == 1)
        #expect(stage.stderr.contains("nothing was sealed"), "\(stage.stderr)")
        #expect(try world.tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub") == before)
    }
}
