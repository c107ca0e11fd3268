import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// `stage`, `rollback` and `record` killed with SIGKILL at every fault
/// point (every durable write, rename, swap and removal). After each kill:
/// the active set, on disk and on the media, is a complete old or new set
/// that AEM's tpm2-tools commands unseal on the matching boot; the plaintext secrets are
/// untouched; and running the command again completes cleanly.
///
/// Two swtpm instances share one provisioned state: `old` is booted into
/// the current chain, `new` into the updated one, so that either set can be
/// checked without rebooting.
@Suite(.serialized) struct CrashConsistencyTests {
    static let kernel = "6.6.21"

    final class World: @unchecked Sendable {
        let tree: BootTree
        let old: SoftwareTPM
        let new: SoftwareTPM
        let log: String
        /// The DRTM log of the boot into the new chain (the one `record` runs in).
        let newLog: String
        let pristine: TemporaryDirectory
        let oldSet: String
        let secrets: [String: String]

        init() throws {
            tree = try BootTree()
            try tree.installXen("4.17.3", seed: 1)
            try tree.installKernel(CrashConsistencyTests.kernel, seed: 10)
            try tree.writeGrubConfiguration()
            try tree.installAEM(srkPassword: "pw")
            old = try SoftwareTPM()
            try TPM2ToolsSeal.provisionSRK(on: old, password: "pw")
            new = try old.clone()
            log = try tree.directory.write(
                "drtm.log",
                try BootSimulator.boot(
                    tree.chain(flow: .detailsAuthorities, xen: "4.17.3", kernel: CrashConsistencyTests.kernel), on: old)
            )
            try tree.recordBoot(["--tcti", old.tcti, "--event-log", log])
            try TPM2ToolsSeal.seal(
                on: old, plaintext: tree.plaintextSecrets, sealed: tree.sealedSet, pcrs: [13, 17, 18], srkPassword: "pw"
            )
            try tree.copySealedSetToMedia()
            let media = tree.root + "/media/aem/aem/tpms/\(BootTree.tpmID)"
            try FileManager.default.createDirectory(atPath: media, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: tree.sealedSet, toPath: media + "/aem")
            try tree.installXen("4.17.4", seed: 2)
            try tree.writeGrubConfiguration()
            newLog = try tree.directory.write(
                "drtm-new.log",
                try BootSimulator.boot(
                    tree.chain(flow: .detailsAuthorities, xen: "4.17.4", kernel: CrashConsistencyTests.kernel), on: new)
            )
            oldSet = try #require(SealedSet.fingerprint(at: tree.sealedSet))
            var secrets = [String: String]()
            for name in try FileManager.default.contentsOfDirectory(atPath: tree.plaintextSecrets) {
                secrets[name] =
                    HashAlgorithm.sha256.hash(try tree.directory.read("var/lib/anti-evil-maid/aem/" + name)).hex
            }
            self.secrets = secrets
            pristine = try TemporaryDirectory()
        }

        /// A fresh copy of `source` (default: the tree as it is now) to run in.
        func copy(of source: String? = nil) throws -> String {
            let target = pristine.path(UUID().uuidString)
            try Command.check("cp", ["-a", source ?? tree.root, target])
            return target
        }

        func arguments(_ command: String, root: String) -> [String] {
            switch command {
            case "stage":
                return [
                    "stage", "--root", root, "--tcti", old.tcti, "--event-log", log, "--media", root + "/media/aem",
                    "--yes",
                ]
            case "rollback": return ["rollback", "--root", root, "--media", root + "/media/aem", "--yes"]
            // record runs during the new boot, with that boot's log.
            default: return ["record", "--root", root, "--tcti", new.tcti, "--event-log", newLog]
            }
        }

        func run(_ command: String, root: String, fault: String? = nil, trace: String? = nil) throws -> CLI.Result {
            var environment = ["AEM_RESEAL_FAULT_POINTS_ENABLE": "i-am-a-test"]
            if let fault { environment["AEM_RESEAL_FAULT_POINT"] = fault }
            if let trace { environment["AEM_RESEAL_FAULT_POINTS_TRACE"] = trace }
            return try CLI.run(arguments(command, root: root), environment: environment)
        }

        /// The points a clean run reaches, in order.
        func points(_ command: String, from source: String) throws -> [String] {
            let root = try copy(of: source)
            let trace = pristine.path("trace-\(UUID().uuidString)")
            let result = try run(command, root: root, trace: trace)
            guard result.status == 0 else { throw Command.Failure(description: "\(command): \(result.stderr)") }
            return try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").map(String.init)
        }

        /// Which boot a set in `directory` unseals on: "old", "new", or nil.
        func unsealsOn(_ directory: String) throws -> String? {
            guard SealedSet.isComplete(at: directory) else { return nil }
            let expected = Array(BootTree.secretText.utf8)
            if try TPM2ToolsSeal.unseal(on: old, sealed: directory, secret: "txt", srkPassword: "pw") == expected {
                return "old"
            }
            if try TPM2ToolsSeal.unseal(on: new, sealed: directory, secret: "txt", srkPassword: "pw") == expected {
                return "new"
            }
            return nil
        }

        func sets(in root: String) -> (disk: String, media: String) {
            (root + "/var/lib/tpms/\(BootTree.tpmID)/aem", root + "/media/aem/aem/tpms/\(BootTree.tpmID)/aem")
        }

        func secretsUntouched(in root: String) throws -> Bool {
            for (name, digest) in secrets {
                let bytes = Array(
                    try Data(contentsOf: URL(fileURLWithPath: root + "/var/lib/anti-evil-maid/aem/" + name)))
                if HashAlgorithm.sha256.hash(bytes).hex != digest { return false }
            }
            return true
        }
    }

    @Test func everyFaultPointIsSurvived() throws {
        let world = try World()
        var survived = 0
        var total = 0
        var failures = [String]()

        // stage, from the state before any staging.
        let stagePoints = try world.points("stage", from: world.tree.root)
        #expect(stagePoints.count >= 15)
        for point in stagePoints {
            total += 1
            let root = try world.copy()
            let killed = try world.run("stage", root: root, fault: point)
            let sets = world.sets(in: root)
            let disk = try world.unsealsOn(sets.disk)
            let media = try world.unsealsOn(sets.media)
            let untouched = try world.secretsUntouched(in: root)
            let rerun = try world.run("stage", root: root)
            let after = try world.unsealsOn(sets.disk)
            let mediaAfter = try world.unsealsOn(sets.media)
            let previous = SealedSet.fingerprint(at: root + "/var/lib/aem-reseal/aem/previous")
            let ok =
                killed.status == 9 && disk != nil && media != nil && untouched && rerun.status == 0 && after == "new"
                && mediaAfter == "new" && previous == world.oldSet
            if ok {
                survived += 1
            } else {
                failures.append(
                    "stage at \(point): killed \(killed.status), disk \(disk ?? "-"), media \(media ?? "-"), rerun \(rerun.status) \(rerun.stderr), previous kept \(previous == world.oldSet)"
                )
            }
        }

        // rollback, from a completed stage.
        let staged = try world.copy()
        #expect(try world.run("stage", root: staged).status == 0)
        for point in try world.points("rollback", from: staged) {
            total += 1
            let root = try world.copy(of: staged)
            let killed = try world.run("rollback", root: root, fault: point)
            let sets = world.sets(in: root)
            let disk = try world.unsealsOn(sets.disk)
            let media = try world.unsealsOn(sets.media)
            let untouched = try world.secretsUntouched(in: root)
            let rerun = try world.run("rollback", root: root)
            let diskAfter = try world.unsealsOn(sets.disk)
            let mediaAfter = try world.unsealsOn(sets.media)
            let ok =
                killed.status == 9 && disk != nil && media != nil && untouched && rerun.status == 0
                && diskAfter == "old" && mediaAfter == "old"
            if ok {
                survived += 1
            } else {
                failures.append(
                    "rollback at \(point): killed \(killed.status), disk \(disk ?? "-"), media \(media ?? "-"), rerun \(rerun.status) \(rerun.stderr)"
                )
            }
        }

        // record: a killed record leaves no half-written record.
        for point in try world.points("record", from: world.tree.root) {
            total += 1
            let root = try world.copy()
            let killed = try world.run("record", root: root, fault: point)
            let folders =
                (try? FileManager.default.contentsOfDirectory(atPath: root + "/var/lib/aem-reseal/boots")) ?? []
            let consistent = folders.allSatisfy { folder in
                !FileManager.default.fileExists(atPath: root + "/var/lib/aem-reseal/boots/\(folder)/record.json")
                    || (try? BootRecord.load(in: root + "/var/lib/aem-reseal/boots/\(folder)")) != nil
            }
            let rerun = try world.run("record", root: root)
            let recorded = (try? FileManager.default.contentsOfDirectory(atPath: root + "/var/lib/aem-reseal/boots"))?
                .first.flatMap {
                    try? BootRecord.load(in: root + "/var/lib/aem-reseal/boots/\($0)")
                }
            if killed.status == 9 && consistent && rerun.status == 0 && recorded != nil {
                survived += 1
            } else {
                failures.append(
                    "record at \(point): killed \(killed.status), consistent \(consistent), rerun \(rerun.status) \(rerun.stderr)"
                )
            }
        }

        print(
            "crash consistency: \(survived) of \(total) fault points survived (stage \(stagePoints.count), rollback and record the rest)"
        )
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(survived == total && total >= 25)
    }
}
