import Foundation
import SystemPackage

/// What was on the boot partition at one moment of a running dom0:
/// `record` takes one when a proven boot starts, and its shutdown run
/// takes another when dom0 stops. A file whose content differs from this
/// boot's first snapshot was written while dom0 ran; one that is the same
/// may have been planted while the machine was off.
///
/// /boot is attacker-controlled, so a snapshot knows what it does not
/// know. Every name is kept as its bytes; each file has a SHA-256 or an
/// unknown content with its reason (over a bound, unreadable); each
/// folder was listed completely or not (and why). Whether a file
/// "changed since" holds only against a known digest, or for a name absent
/// from a folder listed completely: anything unknown vouches for nothing.
public struct BootFileSnapshot: Sendable, Equatable {
    public static let maximumNames = 16384
    /// One name that is not a folder, by its path inside the partition
    /// (`/vmlinuz-6.6.21`).
    public struct Entry: Sendable, Equatable {
        /// What the snapshot knows of a regular file's bytes.
        public enum Content: Sendable, Equatable {
            case sha256(String)
            case unknown(SnapshotUnknown)
        }

        /// `.regular` for a regular file; else what it was (a link is
        /// never followed, a FIFO never opened).
        public var type: FileType
        /// For a regular file; nil for any other type.
        public var content: Content?
        public var size: Int64
        /// What tells, within one running boot, that a file is untouched
        /// since it was hashed: its identity and change time.
        public var device: UInt64
        public var inode: UInt64
        public var changedNanoseconds: Int64
        public var modifiedNanoseconds: Int64
    }

    /// Whether a folder was listed completely.
    public enum Listing: Sendable, Equatable {
        case complete
        case unknown(SnapshotUnknown)
    }

    /// `btime` of the boot the snapshot was taken in.
    public var bootTime: Int64
    public var takenAt: Date
    /// Every name of every folder the snapshot listed, but folders.
    public var files: [FilePath: Entry]
    /// Every folder the walk reached, the partition's root (`/`) first.
    public var folders: [FilePath: Listing]

    public init(bootTime: Int64, takenAt: Date, files: [FilePath: Entry], folders: [FilePath: Listing]) {
        self.bootTime = bootTime
        self.takenAt = takenAt
        self.files = files
        self.folders = folders
    }

    /// What the snapshot knows of one path.
    public enum Knowledge: Sendable, Equatable {
        /// A regular file with this SHA-256.
        case content(sha256: String)
        /// Something else was there: a link, a FIFO, a folder.
        case other(FileType)
        /// Nothing was there: the folder holding it was listed completely.
        case absent
        /// The snapshot cannot tell, and says why.
        case unknown(SnapshotUnknown)
    }

    /// What the snapshot knows of `path` (a path inside the partition).
    public func knowledge(of path: FilePath) -> Knowledge {
        if let entry = files[path] {
            switch entry.content {
            case let .sha256(digest)?: return .content(sha256: digest)
            case let .unknown(reason)?: return .unknown(reason)
            case nil: return .other(entry.type)
            }
        }
        if folders[path] != nil { return .other(.directory) }
        // The nearest folder on the way that the walk reached decides: a
        // name under a folder listed completely that is not in the
        // snapshot (nor any folder between) was not there.
        var folder = path
        while case let parent = folder.removingLastComponent(), parent != folder {
            folder = parent
            switch folders[folder] {
            case .complete?: return .absent
            case let .unknown(reason)?: return .unknown(reason)
            case nil: continue
            }
        }
        return .unknown(SnapshotUnknown(.notListed, detail: "outside the folders it listed"))
    }

    /// Whether the regular file at `path` has other content than `sha256`
    /// now than when the snapshot was taken: true when it is new since (or
    /// replaced something that was no regular file), false when it is the
    /// same, nil when the snapshot cannot tell.
    public func changed(_ path: FilePath, to sha256: String) -> Bool? {
        switch knowledge(of: path) {
        case let .content(digest): return digest != sha256
        case .other, .absent: return true
        case .unknown: return nil
        }
    }

    /// Why `changed(_:to:)` cannot tell for `path`; nil when it can.
    public func unknownReason(for path: FilePath) -> SnapshotUnknown? {
        if case let .unknown(reason) = knowledge(of: path) { return reason }
        return nil
    }

    /// The SHA-256 this snapshot holds for `path`, when it knows one.
    public func sha256(of path: FilePath) -> String? {
        if case let .content(digest) = knowledge(of: path) { return digest }
        return nil
    }

    /// The names whose content the snapshot does not know, and the
    /// folders it could not list completely.
    public var unknownCount: Int {
        files.values.filter { if case .unknown? = $0.content { return true } else { return false } }.count
            + folders.values.filter { $0 != .complete }.count
    }

    /// Where a boot record keeps the snapshot taken when its boot began.
    public static let fileName = "boot-files.json"

    /// The snapshot in a boot record folder, nil when there is none; one
    /// that cannot be read is an error, never "none".
    public static func load(in folder: String) throws -> BootFileSnapshot? {
        do {
            return try StoredJSON.read(BootFileSnapshot.self, from: folder + "/" + fileName)
        } catch let error as FileAccessError where error.reason == .system(.noSuchFileOrDirectory) {
            return nil
        }
    }

    public func save(in folder: String) throws { try StoredJSON.write(self, to: folder + "/" + Self.fileName) }
}

extension BootFileSnapshot.Entry {
    /// The same inode, untouched since: size and both times equal.
    func sameFile(as other: Self) -> Bool {
        device == other.device && inode == other.inode && size == other.size
            && changedNanoseconds == other.changedNanoseconds && modifiedNanoseconds == other.modifiedNanoseconds
    }
}
