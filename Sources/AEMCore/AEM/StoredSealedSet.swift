import Foundation
import SystemPackage

/// A sealed set as it lies in a folder, read once through a confined
/// folder: every file of it (regular files only, no link followed), from
/// which its format, identifier, PCR selection and fingerprint are told
/// without reading it again.
public struct StoredSealedSet: Sendable {
    /// The folder, for messages.
    public var location: String
    /// File name → content; names starting with `.` (a crashed write's
    /// temporary file) are left out.
    public var files: [String: [UInt8]]

    /// Bounds for a hostile folder: a set holds a handful of small files.
    public static let maximumFileSize = 16 << 20
    public static let maximumFiles = 64

    /// Reads the folder `relative` of `root`; nil when there is none. A
    /// link or anything but a regular file inside is refused, by its name.
    public static func read(_ relative: String, in root: ConfinedDirectory) throws(FileAccessError)
        -> StoredSealedSet?
    {
        guard let folder = try root.directoryIfPresent(relative) else { return nil }
        return try read(folder)
    }

    /// Reads the set in `folder`.
    public static func read(_ folder: ConfinedDirectory) throws(FileAccessError) -> StoredSealedSet {
        var files = [String: [UInt8]]()
        for entry in try folder.entries() where entry.name.bytes.first != UInt8(ascii: ".") {
            guard files.count < maximumFiles else {
                throw FileAccessError(.list, folder.path, .tooLarge(limit: maximumFiles))
            }
            let shown = folder.display(FilePath(root: nil, [entry.name]))
            guard let name = String(validating: entry.name) else { throw FileAccessError(.read, shown, .nameNotText) }
            guard entry.type == .regular else {
                throw FileAccessError(
                    .read, shown, entry.type == .symbolicLink ? .link : .notRegularFile(entry.type))
            }
            files[name] = try folder.readFile(name, limit: maximumFileSize)
        }
        return StoredSealedSet(location: folder.path, files: files)
    }

    /// Reads the set at a host path whose parent folders are trusted (the
    /// tests' and the user's own paths); nil when there is none.
    public static func read(at path: String) throws(FileAccessError) -> StoredSealedSet? {
        let file = FilePath(path)
        guard let name = file.lastComponent?.string else { return nil }
        let parent = try ConfinedDirectory(path: file.removingLastComponent().string, resolution: .withoutLinks)
        return try read(name, in: parent)
    }

    /// The TPM a complete set was sealed for, told from its files: at least
    /// one sealed secret, and all of them `openssl enc` files beside the
    /// key files (TPM 2.0) or all `tpm_sealdata` files (TPM 1.2). Nil for
    /// an incomplete or mixed folder.
    public var format: TPMVersion? {
        let sealed = AEMSecretKind.allCases.compactMap { files[$0.sealedName] }
        guard !sealed.isEmpty else { return nil }
        if sealed.allSatisfy({ $0.starts(with: Array(TSSSealedFile.header.utf8)) }) { return .tpm12 }
        if sealed.allSatisfy({ $0.starts(with: OpenSSLEncryptedFile.magic) }),
            [SealedSet.publicKeyFile, SealedSet.privateKeyFile, SealedSet.selectionFile].allSatisfy({
                files[$0] != nil
            })
        {
            return .tpm20
        }
        return nil
    }

    /// Whether it is a set stock AEM can unseal.
    public var isComplete: Bool { format != nil }

    /// The secrets it holds sealed, in stock AEM's order.
    public var sealedSecrets: [AEMSecretKind] { AEMSecretKind.allCases.filter { files[$0.sealedName] != nil } }

    /// The identifier aem-reseal wrote into it; nil for stock AEM's sets.
    public var identifier: String? {
        files[SealedSet.identifierFile].map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// What `key.pcrs` says the key is sealed to (TPM 2.0 sets).
    public var selection: PCRSelectionFile? {
        files[SealedSet.selectionFile].flatMap { PCRSelectionFile(String(decoding: $0, as: UTF8.self)) }
    }

    /// SHA-256 over the files' names and digests, for comparing two
    /// copies; nil for an empty folder.
    public var fingerprint: String? {
        guard !files.isEmpty else { return nil }
        let engine = DigestEngine(.sha256)
        for name in files.keys.sorted() {
            engine.update(Array(name.utf8) + [0])
            engine.update(HashAlgorithm.sha256.hash(files[name]!).bytes)
        }
        return engine.finalize().hex
    }

    /// The set to copy elsewhere: one aem-reseal wrote (it has an
    /// identifier) and complete; nil otherwise.
    public var sealedSet: SealedSet? {
        guard let identifier, isComplete else { return nil }
        return SealedSet(
            identifier: identifier,
            files: files.filter { $0.key != SealedSet.identifierFile }.sorted { $0.key < $1.key }.map {
                (name: $0.key, bytes: $0.value)
            })
    }
}
