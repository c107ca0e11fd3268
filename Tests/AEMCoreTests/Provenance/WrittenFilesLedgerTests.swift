import AEMTestSupport
import Foundation
import SystemPackage
import Testing

@testable import AEMCore

/// Only positive evidence enters the ledger of what a running dom0 wrote:
/// a file the boot's first snapshot did not know (over a bound, as an
/// attacker's hog files make it) is never entered as written during the
/// boot, whatever its content at shutdown.
@Suite struct WrittenFilesLedgerTests {
    static func entry(_ content: BootFileSnapshot.Entry.Content?, inode: UInt64 = 1) -> BootFileSnapshot.Entry {
        BootFileSnapshot.Entry(
            type: .regular, content: content, size: 1, device: 1, inode: inode, changedNanoseconds: 0,
            modifiedNanoseconds: 0)
    }

    static func snapshot(_ files: [FilePath: BootFileSnapshot.Entry], boot: Int64 = 7) -> BootFileSnapshot {
        BootFileSnapshot(bootTime: boot, takenAt: Date(), files: files, folders: ["/": .complete, "/grub2": .complete])
    }

    @Test func aFileTheStartDidNotKnowIsNeverEnteredAsWritten() {
        let start = Self.snapshot([
            "/grub2/custom.cfg": Self.entry(.unknown(SnapshotUnknown(.overBytes))),
            "/grub2/grub.cfg": Self.entry(.sha256("old")),
        ])
        let end = Self.snapshot([
            "/grub2/custom.cfg": Self.entry(.sha256("planted")),
            "/grub2/grub.cfg": Self.entry(.sha256("new")),
            "/initramfs-new.img": Self.entry(.sha256("dracut")),
        ])
        let ledger = WrittenFilesLedger().recording(boot: start, end: end)
        #expect(ledger.files["/grub2/custom.cfg"] == nil)
        #expect(ledger.files["/grub2/grub.cfg"] == .init(sha256: "new", writtenInBoot: 7))
        #expect(ledger.files["/initramfs-new.img"] == .init(sha256: "dracut", writtenInBoot: 7))
    }

    @Test func anEntryStaysOnlyWhileTheNextBootKnowsItsContent() {
        let ledger = WrittenFilesLedger(files: [
            "/a": .init(sha256: "x", writtenInBoot: 5), "/b": .init(sha256: "y", writtenInBoot: 5),
            "/c": .init(sha256: "z", writtenInBoot: 5),
        ])
        let next = Self.snapshot(
            [
                "/a": Self.entry(.sha256("x")), "/b": Self.entry(.unknown(SnapshotUnknown(.overTime))),
                "/c": Self.entry(.sha256("changed while off")),
            ], boot: 8)
        #expect(ledger.pruned(atStartOf: next).files.keys.map(\.shown) == ["/a"])
    }

    @Test func aLedgerTheEarlierFormatWroteVouchesForNothing() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write(
            WrittenFilesLedger.fileName, #"{"files": {"/grub2/custom.cfg": {"sha256": "ab", "writtenInBoot": 5}}}"#)
        #expect(throws: WrittenFilesLedgerError.earlierFormat) { try WrittenFilesLedger.load(from: path) }
        #expect(try WrittenFilesLedger.loadForUpdate(from: path) == WrittenFilesLedger())
    }

    @Test func namesAreKeptAsBytes() throws {
        let odd = FilePath(bytes: [0x2F, 0xC3, 0x28])!
        let folder = try TemporaryDirectory()
        let ledger = WrittenFilesLedger(files: [odd: .init(sha256: "ab", writtenInBoot: 5)])
        try ledger.save(to: folder.path(WrittenFilesLedger.fileName))
        #expect(try WrittenFilesLedger.load(from: folder.path(WrittenFilesLedger.fileName)) == ledger)
    }
}
