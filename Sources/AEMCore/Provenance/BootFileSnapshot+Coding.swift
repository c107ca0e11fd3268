import Foundation
import SystemPackage

/// The snapshot as `boot-files.json` keeps it (`StoredFormat.version`):
/// names as `StoredPath`s, each file's content or why it is unknown, each
/// folder's listing. A snapshot an earlier version wrote (no
/// `schemaVersion`) keeps only its digests: it could leave names out while
/// calling itself complete, so it tells nothing of absence.
extension BootFileSnapshot: Codable {
    private enum Keys: String, CodingKey {
        case schemaVersion, bootTime, takenAt, files, folders
    }

    private struct StoredFile: Codable {
        var path: StoredPath
        var type: String
        var sha256: String?
        var unknown: SnapshotUnknown?
        var size: Int64
        var device: UInt64
        var inode: UInt64
        var changedNanoseconds: Int64
        var modifiedNanoseconds: Int64
    }

    private struct StoredFolder: Codable {
        var path: StoredPath
        /// Nil when listed completely.
        var unknown: SnapshotUnknown?
    }

    /// The first format's entry (paths as text keys, no reasons).
    private struct EarlierEntry: Decodable {
        var sha256: String?
        var size: Int64
        var device: UInt64
        var inode: UInt64
        var changedNanoseconds: Int64
        var modifiedNanoseconds: Int64
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        bootTime = try container.decode(Int64.self, forKey: .bootTime)
        takenAt = try container.decode(Date.self, forKey: .takenAt)
        guard let version = try container.decodeIfPresent(Int.self, forKey: .schemaVersion) else {
            let earlier = try container.decode([String: EarlierEntry].self, forKey: .files)
            let unknown = SnapshotUnknown(.earlierFormat)
            files = Dictionary(
                uniqueKeysWithValues: earlier.map { path, entry in
                    (
                        FilePath(path),
                        Entry(
                            type: .regular, content: entry.sha256.map { .sha256($0) } ?? .unknown(unknown),
                            size: entry.size, device: entry.device, inode: entry.inode,
                            changedNanoseconds: entry.changedNanoseconds,
                            modifiedNanoseconds: entry.modifiedNanoseconds)
                    )
                })
            folders = ["/": .unknown(unknown)]
            return
        }
        guard version == StoredFormat.version else {
            throw DecodingError.dataCorruptedError(
                forKey: .schemaVersion, in: container,
                debugDescription: "schema version \(version) is not one this aem-reseal reads")
        }
        var files = [FilePath: Entry]()
        for stored in try container.decode([StoredFile].self, forKey: .files) {
            let type = FileType(storedName: stored.type)
            let content: Entry.Content? =
                type != .regular
                ? nil : stored.sha256.map { .sha256($0) } ?? .unknown(stored.unknown ?? .init(.unreadable))
            files[stored.path.path] = Entry(
                type: type, content: content, size: stored.size, device: stored.device, inode: stored.inode,
                changedNanoseconds: stored.changedNanoseconds, modifiedNanoseconds: stored.modifiedNanoseconds)
        }
        self.files = files
        folders = Dictionary(
            try container.decode([StoredFolder].self, forKey: .folders).map {
                ($0.path.path, $0.unknown.map { Listing.unknown($0) } ?? .complete)
            }, uniquingKeysWith: { first, _ in first })
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(StoredFormat.version, forKey: .schemaVersion)
        try container.encode(bootTime, forKey: .bootTime)
        try container.encode(takenAt, forKey: .takenAt)
        let stored = files.map { path, entry in
            var file = StoredFile(
                path: StoredPath(path), type: entry.type.storedName, size: entry.size, device: entry.device,
                inode: entry.inode, changedNanoseconds: entry.changedNanoseconds,
                modifiedNanoseconds: entry.modifiedNanoseconds)
            switch entry.content {
            case let .sha256(digest)?: file.sha256 = digest
            case let .unknown(reason)?: file.unknown = reason
            case nil: break
            }
            return file
        }
        try container.encode(
            stored.sorted { $0.path.path.bytes.lexicographicallyPrecedes($1.path.path.bytes) }, forKey: .files)
        let listed = folders.map { path, listing in
            if case let .unknown(reason) = listing { return StoredFolder(path: StoredPath(path), unknown: reason) }
            return StoredFolder(path: StoredPath(path), unknown: nil)
        }
        try container.encode(
            listed.sorted { $0.path.path.bytes.lexicographicallyPrecedes($1.path.path.bytes) }, forKey: .folders)
    }
}

extension FileType {
    /// The type's name in stored records.
    var storedName: String {
        switch self {
        case .regular: return "regular"
        case .directory: return "folder"
        case .symbolicLink: return "link"
        case .fifo: return "fifo"
        case .socket: return "socket"
        case .characterSpecial: return "character-device"
        case .blockSpecial: return "block-device"
        default: return "other"
        }
    }

    /// The type a stored record names (anything unknown is no regular file).
    init(storedName: String) {
        let all: [FileType] = [.regular, .directory, .symbolicLink, .fifo, .socket, .characterSpecial, .blockSpecial]
        self = all.first { $0.storedName == storedName } ?? FileType(rawValue: 0)
    }
}
