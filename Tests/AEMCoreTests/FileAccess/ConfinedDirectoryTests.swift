import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// The one way the tool opens what /boot and the media hold: links are
/// never followed out (nor, on the media, at all), a FIFO is refused at
/// once, a file with other hard links is never changed, and writes leave
/// the old or the new content, never a mix.
@Suite struct ConfinedDirectoryTests {
    @Test func aSetWithAFIFOOrALinkIsRefusedByTheEntrysName() throws {
        let directory = try TemporaryDirectory()
        try directory.write("media/set/key.pub", "key")
        #expect(mkfifo(directory.path("media/set/key.pcrs"), 0o644) == 0)
        let media = try ConfinedDirectory(path: directory.path("media"), resolution: .withoutLinks)
        let fifo = #expect(throws: FileAccessError.self) { try StoredSealedSet.read("set", in: media) }
        #expect(fifo?.reason == .notRegularFile(.fifo))
        #expect(fifo?.path == directory.path("media/set/key.pcrs"))

        try FileManager.default.removeItem(atPath: directory.path("media/set/key.pcrs"))
        try FileManager.default.createSymbolicLink(
            atPath: directory.path("media/set/key.pcrs"), withDestinationPath: "/etc/hostname")
        let link = #expect(throws: FileAccessError.self) { try StoredSealedSet.read("set", in: media) }
        #expect(link?.reason == .link)
        #expect(link?.path == directory.path("media/set/key.pcrs"))
    }

    @Test func aLinkAnywhereOnTheWayIsRefusedOnTheMedia() throws {
        let directory = try TemporaryDirectory()
        try directory.write("outside/file", "outside")
        try FileManager.default.createDirectory(atPath: directory.path("media"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: directory.path("media/aem"), withDestinationPath: directory.path("outside"))
        let media = try ConfinedDirectory(path: directory.path("media"), resolution: .withoutLinks)
        let error = #expect(throws: FileAccessError.self) { try media.readFile("aem/file", limit: 16) }
        #expect(error?.reason == .link)
        #expect(throws: FileAccessError.self) { try media.makeDirectories("aem/tpms") }
        #expect(try String(contentsOfFile: directory.path("outside/file"), encoding: .utf8) == "outside")
        #expect(!FileManager.default.fileExists(atPath: directory.path("outside/tpms")))
    }

    @Test func aHardLinkedFileIsNeverRestricted() throws {
        let directory = try TemporaryDirectory()
        let outside = try directory.write("outside", "keep my mode", mode: 0o644)
        try directory.write("media/set/key.pub", "key")
        #expect(link(outside, directory.path("media/set/key.pcrs")) == 0)
        let media = try ConfinedDirectory(path: directory.path("media"), resolution: .withoutLinks)
        let error = #expect(throws: FileAccessError.self) { try media.restrictTree("set") }
        #expect(error?.reason == .hardLinked(count: 2))
        let mode = try FileManager.default.attributesOfItem(atPath: outside)[.posixPermissions] as? Int
        #expect(mode == 0o644)
    }

    @Test func writesReplaceAtomicallyAndRemoveTreesWithoutFollowingLinks() throws {
        let directory = try TemporaryDirectory()
        let outside = try directory.write("outside/keep", "keep")
        let root = try ConfinedDirectory(
            path: try directory.write("root/.keep", "").dropLast(6).description,
            resolution: .withoutLinks)
        let folder = try root.makeDirectories("a/b")
        try folder.write("file", Array("one".utf8))
        try folder.write("file", Array("two".utf8))
        #expect(try folder.readFile("file", limit: 16) == Array("two".utf8))
        #expect(try folder.entries().map(\.name) == ["file"], "no temporary file is left")
        let mode = try FileManager.default.attributesOfItem(atPath: directory.path("root/a/b/file"))[.posixPermissions]
        #expect(mode as? Int == 0o600)
        try FileManager.default.createSymbolicLink(
            atPath: directory.path("root/a/b/away"), withDestinationPath: directory.path("outside"))
        try root.removeTree("a")
        #expect(!FileManager.default.fileExists(atPath: directory.path("root/a")))
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "keep")
    }

    @Test func plainFilesRefuseWhatIsNotARegularFile() throws {
        let directory = try TemporaryDirectory()
        #expect(mkfifo(directory.path("fifo"), 0o600) == 0)
        let fifo = #expect(throws: FileAccessError.self) { try FileBytes.read(directory.path("fifo")) }
        #expect(fifo?.reason == .notRegularFile(.fifo))
        let folder = #expect(throws: FileAccessError.self) { try FileBytes.read(directory.path) }
        #expect(folder?.reason == .notRegularFile(.directory))
        let missing = #expect(throws: FileAccessError.self) { try FileBytes.read(directory.path("none")) }
        #expect(missing?.reason == .system(.noSuchFileOrDirectory))
        try directory.write("big", [UInt8](repeating: 1, count: 100))
        let big = #expect(throws: FileAccessError.self) { try FileBytes.read(directory.path("big"), limit: 99) }
        #expect(big?.reason == .tooLarge(limit: 99))
    }
}
