import Foundation
import SystemPackage

/// The files on /boot that a running dom0 wrote, as their SHA-256 when it
/// stopped: kept across boots in `/var/lib/aem-reseal/written-files.json`
/// on the encrypted root. At shutdown every file whose content is known
/// to differ from the snapshot taken when that boot started is entered;
/// at the next boot an entry whose file is not known to have that content
/// still (it changed while the machine was off, or the snapshot could not
/// hash it) is dropped, and is never vouched for again.
///
/// It is what lets an initramfs dracut wrote in one boot, or a grub.cfg
/// grub2-mkconfig wrote, be vouched for in a later boot. Only positive
/// evidence enters it: a file the start snapshot did not know (over a
/// bound, unreadable, in a folder it could not list) was not shown to be
/// written while dom0 ran, whatever its content at shutdown.
public struct WrittenFilesLedger: Sendable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        public var sha256: String
        /// `btime` of the boot during which it was written.
        public var writtenInBoot: Int64
        /// Who wrote it: dom0, or GRUB at the start of that boot.
        public var writer: Writer
        /// A GRUB environment block's bytes (what GRUB's writes at the next
        /// boot are modelled from); nil for any other file.
        public var environmentBlock: [UInt8]?

        public init(sha256: String, writtenInBoot: Int64, writer: Writer = .dom0, environmentBlock: [UInt8]? = nil) {
            self.sha256 = sha256
            self.writtenInBoot = writtenInBoot
            self.writer = writer
            self.environmentBlock = environmentBlock
        }
    }

    /// Who wrote a file the ledger holds.
    public enum Writer: String, Sendable, Codable, Equatable {
        /// The running, proven dom0 (dracut, grub2-mkconfig, grub2-editenv).
        case dom0
        /// GRUB, at the start of the boot: its own `save_env` into a block
        /// the ledger held, modelled from a configuration it held too.
        case grubAtBoot = "grub-at-boot"
    }

    public var files: [FilePath: Entry]

    public init(files: [FilePath: Entry] = [:]) { self.files = files }

    public static let fileName = "written-files.json"

    /// The ledger after a boot that began with `start` and ends with
    /// `end` (both snapshots of that boot): what is known to have changed
    /// during it is entered; older entries stay only while their file is
    /// known to be unchanged.
    public func recording(boot start: BootFileSnapshot, end: BootFileSnapshot) -> WrittenFilesLedger {
        var next = WrittenFilesLedger()
        for (path, entry) in end.files {
            guard case let .sha256(sha256)? = entry.content else { continue }
            switch start.changed(path, to: sha256) {
            case true?:
                next.files[path] = Entry(sha256: sha256, writtenInBoot: end.bootTime)
            case false?:
                if let kept = files[path], kept.sha256 == sha256 { next.files[path] = kept }
            case nil:
                continue
            }
        }
        return next
    }

    /// The ledger at the start of a boot: only entries whose file `start`
    /// knows to have that content stay.
    public func pruned(atStartOf start: BootFileSnapshot) -> WrittenFilesLedger {
        WrittenFilesLedger(files: files.filter { start.sha256(of: $0.key) == $0.value.sha256 })
    }

    /// The ledger at `path`; nil when there is none. One an earlier version
    /// wrote (no `schemaVersion`) holds entries entered under a rule that
    /// took what a snapshot had not hashed for written by dom0: it is
    /// `WrittenFilesLedgerError.earlierFormat`, and vouches for nothing.
    public static func load(from path: String) throws -> WrittenFilesLedger? {
        do {
            return try StoredJSON.read(WrittenFilesLedger.self, from: path)
        } catch let error as FileAccessError where error.reason == .system(.noSuchFileOrDirectory) {
            return nil
        }
    }

    /// The ledger at `path` for `record` to update: as `load`, but one in
    /// an earlier format is dropped (an empty ledger replaces it).
    public static func loadForUpdate(from path: String) throws -> WrittenFilesLedger? {
        do {
            return try load(from: path)
        } catch WrittenFilesLedgerError.earlierFormat {
            return WrittenFilesLedger()
        }
    }

    public func save(to path: String) throws { try StoredJSON.write(self, to: path) }
}

/// Why the ledger cannot be used as it is.
public enum WrittenFilesLedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Written by an earlier aem-reseal, under a rule that could be fooled.
    case earlierFormat

    public var description: String {
        switch self {
        case .earlierFormat:
            return "it was written by an earlier aem-reseal, whose rule could enter a file it had not hashed at boot; "
                + "its entries are not used (files dom0 writes from now on enter it again)"
        }
    }
}

extension WrittenFilesLedger: Codable {
    private enum Keys: String, CodingKey { case schemaVersion, files }

    private struct StoredEntry: Codable {
        var path: StoredPath
        var sha256: String
        var writtenInBoot: Int64
        var writer: Writer?
        /// Base64.
        var environmentBlock: String?
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        guard let version = try container.decodeIfPresent(Int.self, forKey: .schemaVersion) else {
            throw WrittenFilesLedgerError.earlierFormat
        }
        guard version == StoredFormat.version else {
            throw DecodingError.dataCorruptedError(
                forKey: .schemaVersion, in: container,
                debugDescription: "schema version \(version) is not one this aem-reseal reads")
        }
        files = Dictionary(
            try container.decode([StoredEntry].self, forKey: .files).map {
                (
                    $0.path.path,
                    Entry(
                        sha256: $0.sha256, writtenInBoot: $0.writtenInBoot, writer: $0.writer ?? .dom0,
                        environmentBlock: $0.environmentBlock.flatMap { Data(base64Encoded: $0) }.map(Array.init))
                )
            }, uniquingKeysWith: { first, _ in first })
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(StoredFormat.version, forKey: .schemaVersion)
        let stored = files.map {
            StoredEntry(
                path: StoredPath($0.key), sha256: $0.value.sha256, writtenInBoot: $0.value.writtenInBoot,
                writer: $0.value.writer,
                environmentBlock: $0.value.environmentBlock.map { Data($0).base64EncodedString() })
        }
        try container.encode(
            stored.sorted { $0.path.path.bytes.lexicographicallyPrecedes($1.path.path.bytes) }, forKey: .files)
    }
}
