import Foundation
import SystemPackage
import Testing

@testable import AEMCore

/// rpm's file list is no evidence on its own: an offline attacker can
/// plant a file at a path a later package lists. The running transaction
/// vouches only for a listed file known to have changed since this boot's
/// snapshot; without a snapshot, or where it does not know the file, it
/// vouches for nothing.
@Suite struct TransactionVoucherTests {
    static let xen = BootFile(
        kind: .module(.xen), grubPath: "/xen-4.17.4.gz", partitionPath: "/xen-4.17.4.gz",
        sha256: HashAlgorithm.sha256.hash(Array("xen".utf8)))

    static func snapshot(_ files: [FilePath: BootFileSnapshot.Entry.Content], folders: BootFileSnapshot.Listing)
        -> BootFileSnapshot
    {
        BootFileSnapshot(
            bootTime: 7, takenAt: Date(),
            files: files.mapValues {
                .init(
                    type: .regular, content: $0, size: 1, device: 1, inode: 1, changedNanoseconds: 0,
                    modifiedNanoseconds: 0)
            }, folders: ["/": folders])
    }

    @Test func withoutASnapshotTheListVouchesForNothing() {
        let answer = TransactionVoucher(installed: ["/xen-4.17.4.gz"], bootSnapshot: nil).vouch(for: Self.xen)
        guard case let .declined(reason) = answer else {
            Issue.record("vouched without a snapshot")
            return
        }
        #expect(reason.contains("no snapshot of /boot"))
    }

    @Test func aListedFileTheSnapshotDidNotKnowIsNotVouched() {
        let unknown = Self.snapshot(["/xen-4.17.4.gz": .unknown(SnapshotUnknown(.overBytes))], folders: .complete)
        let answer = TransactionVoucher(installed: ["/xen-4.17.4.gz"], bootSnapshot: unknown).vouch(for: Self.xen)
        guard case let .declined(reason) = answer else {
            Issue.record("vouched for an unknown file")
            return
        }
        #expect(reason.contains("byte bound"))

        let unlisted = Self.snapshot([:], folders: .unknown(SnapshotUnknown(.notListed, detail: "EIO")))
        #expect(
            TransactionVoucher(installed: ["/xen-4.17.4.gz"], bootSnapshot: unlisted).vouch(for: Self.xen)
                != .vouched(.transaction, detail: "installed by the running rpm transaction"))
    }

    @Test func aListedFileNewSinceTheBootIsVouched() {
        let complete = Self.snapshot([:], folders: .complete)
        #expect(
            TransactionVoucher(installed: ["/xen-4.17.4.gz"], bootSnapshot: complete).vouch(for: Self.xen)
                == .vouched(.transaction, detail: "installed by the running rpm transaction"))
    }

    @Test func theRPMDatabaseIsNeverAskedAboutANameThatIsNotUTF8() {
        var odd = Self.xen
        odd.partitionPath = FilePath(bytes: [0x2F, 0xFF])
        let voucher = RPMDatabaseVoucher(records: .success([:]), bootPrefix: "/boot")
        guard case let .declined(reason) = voucher.vouch(for: odd) else {
            Issue.record("vouched")
            return
        }
        #expect(reason.contains("\\xFF"))
    }
}
