import Foundation

/// The files on /boot that a running dom0 wrote, as their SHA-256 when it
/// stopped: kept across boots in `/var/lib/aem-reseal/written-files.json`
/// on the encrypted root. At shutdown every file whose content differs
/// from the snapshot taken when that boot started is entered; at the next
/// boot an entry whose file no longer has that content (it changed while
/// the machine was off) is dropped, and is never vouched for again.
///
/// It is what lets an initramfs dracut wrote in one boot, or a grub.cfg
/// grub2-mkconfig wrote, be vouched for in a later boot.
public struct WrittenFilesLedger: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        public var sha256: String
        /// `btime` of the boot during which dom0 wrote it.
        public var writtenInBoot: Int64
    }

    public var files: [String: Entry]

    public init(files: [String: Entry] = [:]) { self.files = files }

    public static let fileName = "written-files.json"

    /// The ledger after a boot that began with `start` and ends with
    /// `end` (both snapshots of that boot): what changed during it is
    /// entered; older entries stay only while their file is unchanged.
    public func recording(boot start: BootFileSnapshot, end: BootFileSnapshot) -> WrittenFilesLedger {
        var next = WrittenFilesLedger()
        for (path, entry) in end.files {
            guard let sha256 = entry.sha256 else { continue }
            if start.sha256(of: path) != sha256 {
                next.files[path] = Entry(sha256: sha256, writtenInBoot: end.bootTime)
            } else if let kept = files[path], kept.sha256 == sha256 {
                next.files[path] = kept
            }
        }
        return next
    }

    /// The ledger at the start of a boot: entries whose file has other
    /// content now (changed while the machine was off) are dropped.
    public func pruned(atStartOf start: BootFileSnapshot) -> WrittenFilesLedger {
        WrittenFilesLedger(files: files.filter { start.sha256(of: $0.key) == $0.value.sha256 })
    }

    public static func load(from path: String) throws -> WrittenFilesLedger? {
        do {
            return try StoredJSON.read(WrittenFilesLedger.self, from: path)
        } catch let error as FileAccessError where error.reason == .system(.noSuchFileOrDirectory) {
            return nil
        }
    }

    public func save(to path: String) throws { try StoredJSON.write(self, to: path) }
}
