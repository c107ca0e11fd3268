import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// The one rule for facts of the machine, at each reader that throws:
/// absent is nil (or false, or none), and a place that exists but cannot
/// be read is an error. Root is not refused by permissions, so the tests
/// make a place unreadable as root meets it: a link that loops on the way,
/// a file where a folder belongs, a folder where a file belongs.
@Suite struct MachineFactReadTests {
    @Test func aLinkIsReadOrAbsentOrAnError() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: directory.path("tpm"), withDestinationPath: "tpms/ab")
        #expect(try SymbolicLink.target(of: directory.path("tpm")) == "tpms/ab")
        #expect(try SymbolicLink.target(of: directory.path("missing")) == nil)
        try directory.write("plain", "not a link")
        #expect(try SymbolicLink.target(of: directory.path("plain")) == nil)
        try FileManager.default.createSymbolicLink(atPath: directory.path("loop"), withDestinationPath: "loop")
        #expect(throws: FileAccessError.self) { try SymbolicLink.target(of: directory.path("loop/tpm")) }
    }

    @Test func whetherAFileExistsIsToldOrAnError() throws {
        let directory = try TemporaryDirectory()
        try directory.write("srk-password", "")
        #expect(try FileBytes.exists(directory.path("srk-password")))
        #expect(try !FileBytes.exists(directory.path("gone")))
        try FileManager.default.createSymbolicLink(atPath: directory.path("loop"), withDestinationPath: "loop")
        #expect(throws: FileAccessError.self) { try FileBytes.exists(directory.path("loop/srk-password")) }
        let folder = try ConfinedDirectory(path: directory.path, resolution: .withoutLinks)
        #expect(try folder.contains("srk-password"))
        #expect(try !folder.contains("gone"))
    }

    @Test func bootRecordsAreReadOrNoneOrAnError() throws {
        let root = try TemporaryDirectory()
        let layout = SystemLayout(root: root.path)
        #expect(try BootRecord.folders(in: layout).isEmpty, "no records folder: none")
        #expect(try BootRecord.load(in: layout.bootRecords + "/7") == nil)
        try root.write("var/lib/aem-reseal/boots", "a file where the folder belongs")
        #expect(throws: (any Error).self) { try BootRecord.folders(in: layout) }
        try FileManager.default.removeItem(atPath: layout.bootRecords)
        try FileManager.default.createDirectory(
            atPath: layout.bootRecords + "/7/" + BootRecord.fileName, withIntermediateDirectories: true)
        #expect(throws: (any Error).self) { try BootRecord.load(in: layout.bootRecords + "/7") }
    }

    @Test func theBootTimeAndTheTPMVersionAreReadOrNoneOrAnError() throws {
        let root = try TemporaryDirectory()
        let layout = SystemLayout(root: root.path)
        #expect(try layout.bootTime() == nil)
        #expect(try layout.tpmVersion() == nil)
        try root.write("proc/stat", "cpu 1 2 3\nbtime 1700000000\n")
        try root.write("sys/class/tpm/tpm0/tpm_version_major", "2\n")
        #expect(try layout.bootTimeSeconds() == 1_700_000_000)
        #expect(try layout.tpmVersion() == .tpm20)
        try FileManager.default.removeItem(atPath: layout.procStat)
        try FileManager.default.createDirectory(atPath: layout.procStat, withIntermediateDirectories: false)
        #expect(throws: FileAccessError.self) { try layout.bootTime() }
    }
}
