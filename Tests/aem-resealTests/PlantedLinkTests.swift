import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// The AEM media is attacker-controlled: a link planted on it (or as the
/// run lock) is refused, and nothing outside is read, written or chmod-ed.
@Suite(.serialized) struct PlantedLinkTests {
    /// An outside folder and file with known modes and contents.
    struct Outside {
        let folder: String
        let file: String

        init(in directory: TemporaryDirectory) throws {
            folder = directory.path("outside")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            file = try directory.write("outside/precious.conf", "do not touch\n", mode: 0o644)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
        }

        /// Modes, names and contents, to compare before and after.
        func snapshot() throws -> String {
            let folderMode = try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int
            let fileMode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
            let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
            return "\(folderMode ?? -1) \(fileMode ?? -1) \(names) \(try String(contentsOfFile: file, encoding: .utf8))"
        }
    }

    /// A stage with the media mounted at `<root>/media/aem`, holding a copy of the set.
    static func mediaWorld() throws -> (
        setup: StageBehaviourTests.Setup, media: String, mediaSets: String, outside: Outside
    ) {
        let setup = try StageBehaviourTests.setup()
        let media = setup.tree.root + "/media/aem"
        let mediaSets = media + "/aem/tpms/\(BootTree.tpmID)"
        try FileManager.default.createDirectory(atPath: mediaSets, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: setup.tree.sealedSet, toPath: mediaSets + "/aem")
        return (setup, media, mediaSets, try Outside(in: setup.tree.directory))
    }

    static func link(_ path: String, to target: String) throws {
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
    }

    @Test(arguments: ["aem", "tpms", "set-folder", "backup-folder"])
    func plantedMediaFolderLinkIsRefused(which: String) throws {
        let (setup, media, mediaSets, outside) = try Self.mediaWorld()
        switch which {
        case "aem": try Self.link(media + "/aem", to: outside.folder)
        case "tpms": try Self.link(mediaSets, to: outside.folder)
        case "set-folder": try Self.link(mediaSets + "/aem", to: outside.folder)
        default:
            try FileManager.default.createDirectory(
                atPath: outside.folder + "/previous", withIntermediateDirectories: true)
            try Self.link(mediaSets + "/.aem.aem-reseal", to: outside.folder)
        }
        let before = try outside.snapshot()
        let result = try setup.stage(["--yes", "--media", media])
        #expect(result.stdout.contains("symbolic link (planted?)"), "\(which): \(result.stdout)")
        #expect(try outside.snapshot() == before, "\(which)")
    }

    /// A link among the media set's files is refused by its own name before
    /// anything is swapped: its target's mode is never changed.
    @Test func plantedLinkAmongTheSetFilesNeverChangesItsTarget() throws {
        let (setup, media, mediaSets, outside) = try Self.mediaWorld()
        try Self.link(mediaSets + "/aem/key.pcrs", to: outside.file)
        let before = try outside.snapshot()
        let result = try setup.stage(["--yes", "--media", media])
        #expect(
            result.stdout.contains("/aem/tpms/\(BootTree.tpmID)/aem/key.pcrs: it is or passes through a symbolic link"),
            "\(result.stdout)")
        #expect(!result.stdout.contains("staging"), "\(result.stdout)")
        #expect(try outside.snapshot() == before)
        // dom0's own copy was sealed all the same; the media's was not: not done.
        #expect(result.status == 7)
    }

    /// A link planted as the media's `previous` is refused by its name,
    /// never moved into history as if it were a kept set.
    @Test func plantedLinkAsThePreviousSetIsRefusedNotMoved() throws {
        let (setup, media, mediaSets, outside) = try Self.mediaWorld()
        try FileManager.default.createDirectory(
            atPath: mediaSets + "/.aem.aem-reseal", withIntermediateDirectories: true)
        try Self.link(mediaSets + "/.aem.aem-reseal/previous", to: outside.folder)
        let before = try outside.snapshot()
        let result = try setup.stage(["--yes", "--media", media])
        #expect(result.status == 7, "\(result.stdout)")
        #expect(
            result.stdout.contains(".aem.aem-reseal/previous: it is or passes through a symbolic link"),
            "\(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: mediaSets + "/.aem.aem-reseal/history"))
        #expect(try outside.snapshot() == before)
    }

    /// A module whose links loop says so, not that its path is not absolute.
    @Test func moduleLinkLoopIsNamedAsALoop() throws {
        let setup = try StageBehaviourTests.setup()
        let boot = setup.tree.boot
        try FileManager.default.removeItem(atPath: boot + "/xen-4.17.4.gz")
        try Self.link(boot + "/xen-4.17.4.gz", to: "/loop")
        try Self.link(boot + "/loop", to: "xen-4.17.4.gz")
        let result = try CLI.run(["predict", "--root", setup.tree.root, "--no-tpm", "--event-log", setup.log])
        #expect(result.status == 2)
        #expect(result.stderr.contains("its symbolic links loop"), "\(result.stderr)")
        #expect(!result.stderr.contains("absolute"))
    }

    @Test func plantedLockLinkIsRefused() throws {
        let setup = try StageBehaviourTests.setup()
        let outside = try Outside(in: setup.tree.directory)
        let state = setup.tree.root + "/var/lib/aem-reseal"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try Self.link(state + "/.lock", to: outside.file)
        let before = try outside.snapshot()
        let result = try setup.stage(["--yes"])
        #expect(result.status != 0)
        #expect(
            result.stderr.contains("/var/lib/aem-reseal/.lock: it is or passes through a symbolic link"),
            "\(result.stderr)")
        #expect(try outside.snapshot() == before)
    }
}
