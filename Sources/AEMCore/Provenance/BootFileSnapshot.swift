import Foundation
import SystemPackage

/// The SHA-256 of every regular file on the boot partition at one moment
/// of a running dom0: `record` takes one when a proven boot starts, and
/// its shutdown run takes another when dom0 stops. A file whose content
/// differs from this boot's first snapshot was written while dom0 ran;
/// one that is the same may have been planted while the machine was off.
///
/// /boot is attacker-controlled: no link is followed, the walk is bounded
/// in depth, files and bytes, and a file too large to hash is listed
/// without a digest (it is then never vouched for).
public struct BootFileSnapshot: Sendable, Codable, Equatable {
    /// One file, by its path inside the partition (`/vmlinuz-6.6.21`).
    public struct Entry: Sendable, Codable, Equatable {
        /// Nil when the file was over the size bound and not hashed.
        public var sha256: String?
        public var size: Int64
        /// What tells, within one running boot, that a file is untouched
        /// since it was hashed: its identity and change time.
        public var device: UInt64
        public var inode: UInt64
        public var changedNanoseconds: Int64
        public var modifiedNanoseconds: Int64
    }

    /// `btime` of the boot the snapshot was taken in.
    public var bootTime: Int64
    public var takenAt: Date
    public var files: [String: Entry]
    /// False when a bound stopped the walk: a file it does not list may
    /// then have been there all along.
    public var complete: Bool

    /// Bounds for a hostile partition.
    public static let maximumDepth = 6
    public static let maximumFiles = 4096
    public static let maximumFileSize: Int64 = 1 << 30
    public static let maximumBytes: Int64 = 8 << 30

    /// Hashes every regular file under `partition`. Within one boot,
    /// `reusing` (an earlier snapshot of the same boot) lends its digest
    /// to a file whose identity, size and change time are all unchanged:
    /// the kernel sets the change time on every write, and the running
    /// dom0 is trusted. Never across boots.
    public static func take(
        of partition: BootPartition, bootTime: Int64, reusing earlier: BootFileSnapshot? = nil
    ) -> BootFileSnapshot {
        var snapshot = BootFileSnapshot(bootTime: bootTime, takenAt: Date(), files: [:], complete: true)
        var hashedBytes: Int64 = 0
        let reusable = earlier?.bootTime == bootTime ? earlier : nil
        func walk(_ folder: String, depth: Int) {
            guard depth <= maximumDepth, let entries = try? partition.directory.entries(in: folder) else {
                snapshot.complete = false
                return
            }
            for entry in entries {
                guard snapshot.files.count < maximumFiles else {
                    snapshot.complete = false
                    return
                }
                let path = (folder == "/" ? "" : folder) + "/" + entry.name
                switch entry.type {
                case .directory:
                    walk(path, depth: depth + 1)
                case .regular:
                    guard let file = try? partition.directory.openFile(path, limit: Int(maximumFileSize)) else {
                        continue
                    }
                    let status = file.status
                    var record = Entry(
                        sha256: nil, size: status.size, device: UInt64(status.deviceID.rawValue),
                        inode: UInt64(status.inode.rawValue), changedNanoseconds: status.st_ctim.nanoseconds,
                        modifiedNanoseconds: status.st_mtim.nanoseconds)
                    if let known = reusable?.files[path], known.sameFile(as: record) {
                        record.sha256 = known.sha256
                    } else if hashedBytes + status.size <= maximumBytes {
                        record.sha256 = file.sha256()
                        hashedBytes += status.size
                    }
                    snapshot.files[path] = record
                default:
                    continue
                }
            }
        }
        walk("/", depth: 0)
        return snapshot
    }

    /// Where a boot record keeps the snapshot taken when its boot began.
    public static let fileName = "boot-files.json"

    /// The snapshot in a boot record folder, nil when there is none.
    public static func load(in folder: String) throws -> BootFileSnapshot? {
        do {
            return try StoredJSON.read(BootFileSnapshot.self, from: folder + "/" + fileName)
        } catch let error as FileAccessError where error.reason == .system(.noSuchFileOrDirectory) {
            return nil
        }
    }

    public func save(in folder: String) throws { try StoredJSON.write(self, to: folder + "/" + Self.fileName) }

    /// The SHA-256 this snapshot holds for `path`.
    public func sha256(of path: String) -> String? { files[path]?.sha256 }

    /// Whether the file at `path` has other content than `sha256` now
    /// than when the snapshot was taken: true when it is new since, false
    /// when it is the same, nil when the snapshot cannot tell (not hashed,
    /// or not listed by a walk a bound cut short).
    public func changed(_ path: String, to sha256: String) -> Bool? {
        guard let entry = files[path] else { return complete ? true : nil }
        return entry.sha256.map { $0 != sha256 }
    }
}

extension BootFileSnapshot.Entry {
    /// The same inode, untouched since: size and both times equal.
    func sameFile(as other: Self) -> Bool {
        sha256 != nil && device == other.device && inode == other.inode && size == other.size
            && changedNanoseconds == other.changedNanoseconds && modifiedNanoseconds == other.modifiedNanoseconds
    }
}

extension timespec {
    var nanoseconds: Int64 { Int64(tv_sec) * 1_000_000_000 + Int64(tv_nsec) }
}

extension OpenedFile {
    /// SHA-256 of the whole file, read once in chunks from its start; nil
    /// when it cannot be read.
    func sha256() -> String? {
        let engine = DigestEngine(.sha256)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { chunk.deallocate() }
        var offset = 0
        while true {
            guard let count = try? read(at: offset, into: chunk) else { return nil }
            if count == 0 { break }
            engine.update(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
            offset += count
        }
        return engine.finalize().hex
    }
}
