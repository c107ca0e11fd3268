import Foundation
import Testing

@testable import AEMCore

/// The voucher for files a running dom0 writes (an initramfs, grub.cfg):
/// what it vouches with, and that a ledger it cannot read vouches for
/// nothing and says so, rather than passing for an empty one.
struct WrittenWhileRunningVoucherTests {
    static let initramfs = BootFile(
        kind: .module(.initramfs), grubPath: "/initramfs-6.6.21.img", partitionPath: "/initramfs-6.6.21.img",
        sha256: HashAlgorithm.sha256.hash(Array("new initramfs".utf8)))

    /// A snapshot of this boot's start holding `sha256` for the initramfs.
    static func snapshot(holding sha256: Digest) -> BootFileSnapshot {
        BootFileSnapshot(
            bootTime: 100, takenAt: Date(),
            files: [
                "/initramfs-6.6.21.img": .init(
                    type: .regular, content: .sha256(sha256.hex), size: 13, device: 1, inode: 2,
                    changedNanoseconds: 0, modifiedNanoseconds: 0)
            ], folders: ["/": .complete])
    }

    @Test func aFileWrittenSinceThisBootBeganIsVouched() {
        let voucher = WrittenWhileRunningVoucher(
            bootSnapshot: Self.snapshot(holding: HashAlgorithm.sha256.hash(Array("booted".utf8))),
            ledger: .success(nil))
        guard case .vouched(.writtenThisBoot, _) = voucher.vouch(for: Self.initramfs) else {
            Issue.record("not vouched as written this boot")
            return
        }
    }

    @Test func theLedgerVouchesForAnEarlierBootsWrite() {
        let ledger = WrittenFilesLedger(files: [
            "/initramfs-6.6.21.img": .init(sha256: Self.initramfs.sha256.hex, writtenInBoot: 90)
        ])
        let voucher = WrittenWhileRunningVoucher(
            bootSnapshot: Self.snapshot(holding: Self.initramfs.sha256), ledger: .success(ledger))
        guard case let .vouched(.writtenWhileRunning, detail) = voucher.vouch(for: Self.initramfs) else {
            Issue.record("not vouched by the ledger")
            return
        }
        #expect(detail.contains("boot of 90"))
    }

    @Test func anUnreadableLedgerVouchesForNothingAndSaysWhy() {
        let voucher = WrittenWhileRunningVoucher(
            bootSnapshot: Self.snapshot(holding: Self.initramfs.sha256),
            ledger: .failure(.init(reason: "the ledger of what dom0 wrote (x) is unreadable: truncated")))
        #expect(
            voucher.vouch(for: Self.initramfs)
                == .declined("the ledger of what dom0 wrote (x) is unreadable: truncated"))
    }
}
