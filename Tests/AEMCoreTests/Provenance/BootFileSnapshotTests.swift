import AEMTestSupport
import Foundation
import Synchronization
import SystemPackage
import Testing

@testable import AEMCore

/// The snapshot of /boot knows what it does not know: every name is kept
/// as its bytes, a file a bound or a failure kept it from hashing is
/// unknown (never absent), and "changed since" holds only against a known
/// digest or a name absent from a folder listed completely. Digests are
/// checked against Python's hashlib.
@Suite struct BootFileSnapshotTests {
    /// A name no text can hold: `ini\xFFtramfs`.
    static let oddName: [UInt8] = Array("ini".utf8) + [0xFF] + Array("tramfs".utf8)

    /// Makes `relative` (bytes, inside `directory`) a folder or a file holding `bytes`.
    static func make(_ relative: [UInt8], in directory: TemporaryDirectory, file bytes: [UInt8]? = nil) throws {
        let path = FilePath(bytes: Array(directory.path.utf8) + [UInt8(ascii: "/")] + relative)!
        if let bytes {
            let descriptor = try FileDescriptor.open(path, .writeOnly, options: [.create], permissions: .ownerReadWrite)
            _ = try descriptor.closeAfter { try descriptor.writeAll(bytes) }
        } else {
            try path.withPlatformString { guard mkdir($0, 0o755) == 0 else { throw Errno(rawValue: errno) } }
        }
    }

    static func take(_ directory: TemporaryDirectory, bounds: SnapshotBounds = SnapshotBounds()) throws
        -> BootFileSnapshot
    {
        BootFileSnapshot.take(of: try BootPartition(path: directory.path), bootTime: 7, bounds: bounds)
    }

    @Test func aNameThatIsNotUTF8IsKeptAndHashedAndSurvivesTheRecord() throws {
        let boot = try TemporaryDirectory()
        try Self.make(Array("odd".utf8) + [0xFE], in: boot)
        let content = Array("planted initramfs".utf8)
        try Self.make(Array("odd".utf8) + [0xFE, UInt8(ascii: "/")] + Self.oddName, in: boot, file: content)
        let path = FilePath(bytes: Array("/odd".utf8) + [0xFE, UInt8(ascii: "/")] + Self.oddName)!
        let expected = try Python.hash("sha256", content)

        let snapshot = try Self.take(boot)
        #expect(snapshot.knowledge(of: path) == .content(sha256: expected))
        #expect(snapshot.changed(path, to: expected) == false, "the same bytes: not written since")
        #expect(snapshot.folders[FilePath(bytes: Array("/odd".utf8) + [0xFE])!] == .complete)

        let records = try TemporaryDirectory()
        try snapshot.save(in: records.path)
        let stored = try String(contentsOfFile: records.path(BootFileSnapshot.fileName), encoding: .utf8)
        #expect(stored.contains(Hex.encode(path.bytes)), "kept as its bytes")
        #expect(!stored.contains("\u{FFFD}"))
        let loaded = try #require(try BootFileSnapshot.load(in: records.path))
        #expect(loaded.files == snapshot.files && loaded.folders == snapshot.folders, "ISO 8601 keeps whole seconds")
    }

    @Test func aFileOverTheByteBoundIsUnknownNotAbsentAndSmallFilesComeFirst() throws {
        let boot = try TemporaryDirectory()
        try boot.write("grub2/custom.cfg", "menuentry x {}")
        try boot.write("aaa-hog", [UInt8](repeating: 0, count: 3 << 20))
        var bounds = SnapshotBounds()
        bounds.maximumBytes = 1 << 20
        let snapshot = try Self.take(boot, bounds: bounds)

        #expect(snapshot.knowledge(of: "/aaa-hog") == .unknown(SnapshotUnknown(.overBytes, detail: "1048576 bytes")))
        #expect(snapshot.changed("/aaa-hog", to: "00") == nil, "unknown vouches for nothing")
        #expect(snapshot.sha256(of: "/grub2/custom.cfg") == (try Python.hash("sha256", Array("menuentry x {}".utf8))))
        #expect(snapshot.knowledge(of: "/vmlinuz-new") == .absent, "the root was listed completely")
        #expect(snapshot.changed("/vmlinuz-new", to: "00") == true)
    }

    @Test func theTimeBoundLeavesTheRestUnknown() throws {
        let boot = try TemporaryDirectory()
        try boot.write("grub2/grub.cfg", "set default=0")
        try boot.write("big", [UInt8](repeating: 1, count: 4 << 20))
        // A clock that jumps a minute at every reading after the first two.
        let readings = Mutex(0)
        let start = ContinuousClock.now
        var bounds = SnapshotBounds()
        bounds.now = {
            let count = readings.withLock { value in
                value += 1
                return value
            }
            return count <= 3 ? start : start.advanced(by: .seconds(60 * count))
        }
        let snapshot = try Self.take(boot, bounds: bounds)
        #expect(snapshot.sha256(of: "/grub2/grub.cfg") != nil, "the smallest file is hashed first")
        #expect(snapshot.unknownReason(for: "/big")?.reason == .overTime)
    }

    @Test func aFolderPastTheDepthBoundIsUnknownAndSoIsEverythingUnderIt() throws {
        let boot = try TemporaryDirectory()
        try boot.write("a/b/c/file", "deep")
        var bounds = SnapshotBounds()
        bounds.maximumDepth = 1
        let snapshot = try Self.take(boot, bounds: bounds)
        #expect(snapshot.unknownReason(for: "/a/b/c/file")?.reason == .tooDeep)
        #expect(snapshot.unknownReason(for: "/a/b/new")?.reason == .tooDeep, "not absent: it was never listed")
        #expect(snapshot.knowledge(of: "/a/new") == .absent)
    }

    @Test func aLinkOrFIFOIsRecordedAsWhatItIsAndAFileReplacingItIsNew() throws {
        let boot = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(
            atPath: boot.path("initramfs.img"), withDestinationPath: "/etc/hosts")
        #expect(mkfifo(boot.path("grubenv"), 0o644) == 0)
        let snapshot = try Self.take(boot)
        #expect(snapshot.knowledge(of: "/initramfs.img") == .other(.symbolicLink))
        #expect(snapshot.knowledge(of: "/grubenv") == .other(.fifo))
        #expect(snapshot.changed("/initramfs.img", to: "00") == true)
    }

    @Test func withinOneBootAnUntouchedFileLendsItsDigestAndAWrittenOneIsHashedAgain() throws {
        let boot = try TemporaryDirectory()
        try boot.write("kept", "kept")
        try boot.write("written", "before")
        let partition = try BootPartition(path: boot.path)
        let first = BootFileSnapshot.take(of: partition, bootTime: 7)
        try boot.write("written", "after")
        let second = BootFileSnapshot.take(of: partition, bootTime: 7, reusing: first)
        #expect(second.sha256(of: "/kept") == first.sha256(of: "/kept"))
        #expect(second.sha256(of: "/written") == (try Python.hash("sha256", Array("after".utf8))))
        #expect(first.changed("/written", to: second.sha256(of: "/written")!) == true)
    }

    @Test func aSnapshotTheEarlierFormatWroteTellsDigestsButNoAbsence() throws {
        let records = try TemporaryDirectory()
        try records.write(
            BootFileSnapshot.fileName,
            """
            {"bootTime": 7, "takenAt": "2026-12-01T10:00:00Z", "complete": true, "files": {
              "/grub2/grub.cfg": {"sha256": "ab", "size": 2, "device": 1, "inode": 2,
                                  "changedNanoseconds": 3, "modifiedNanoseconds": 4},
              "/huge": {"size": 9, "device": 1, "inode": 3, "changedNanoseconds": 3, "modifiedNanoseconds": 4}}}
            """)
        let snapshot = try #require(try BootFileSnapshot.load(in: records.path))
        #expect(snapshot.changed("/grub2/grub.cfg", to: "cd") == true)
        #expect(snapshot.changed("/grub2/grub.cfg", to: "ab") == false)
        #expect(snapshot.unknownReason(for: "/huge")?.reason == .earlierFormat)
        #expect(snapshot.unknownReason(for: "/initramfs-planted.img")?.reason == .earlierFormat)
    }

    /// A UEFI dom0 has its ESP mounted at /boot/efi: it is listed and
    /// hashed as a folder of its own, and /boot's own folders stay complete
    /// (a new initramfs is still known to be new).
    @Test func aFileSystemMountedInsideIsCoveredAndTheRestStaysComplete() throws {
        let boot = try TemporaryDirectory()
        try boot.write("grub2/grub.cfg", "set default=0")
        let esp = try SmallMount(at: boot.path("efi"), kilobytes: 512)
        defer { esp.unmount() }
        try FileManager.default.createDirectory(atPath: boot.path("efi/EFI/qubes"), withIntermediateDirectories: true)
        try Data("options=console=vga".utf8).write(to: URL(fileURLWithPath: boot.path("efi/EFI/qubes/xen.cfg")))

        let snapshot = try Self.take(boot)
        #expect(snapshot.folders["/efi"] == .complete)
        #expect(
            snapshot.sha256(of: "/efi/EFI/qubes/xen.cfg")
                == (try Python.hash("sha256", Array("options=console=vga".utf8))))
        #expect(snapshot.knowledge(of: "/initramfs-6.6.30.img") == .absent)
        #expect(snapshot.knowledge(of: "/efi/EFI/qubes/new.efi") == .absent)
    }
}
