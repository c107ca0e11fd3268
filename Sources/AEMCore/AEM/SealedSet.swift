import Foundation

/// The kinds of AEM secret, by file extension.
public enum AEMSecretKind: String, CaseIterable, Sendable, Codable {
    /// Shown on screen at boot.
    case txt
    /// scrypt-encrypted LUKS key file.
    case key
    /// TOTP seed.
    case otp
    /// Freshness token (its hash sits in TPM NV index 0x454d).
    case fre

    public var plaintextName: String { "secret.\(rawValue)" }
    public var sealedName: String { "secret.\(rawValue).sealed2" }
}

/// The files of one sealed set, in the layout stock AEM reads from
/// `/var/lib/tpm/<label>/` and from `<media>/aem/tpms/<tpm-id>/<label>/`:
/// on TPM 2.0 the sealed key (`key.pub`, `key.priv`, `key.pcrs`) and the
/// `openssl enc` files; on TPM 1.2 only the `tpm_sealdata` files.
public struct SealedSet: Sendable {
    public static let publicKeyFile = "key.pub"
    public static let privateKeyFile = "key.priv"
    public static let selectionFile = "key.pcrs"
    /// Marks sets written by aem-reseal; AEM ignores the file.
    public static let identifierFile = "aem-reseal.id"

    public var identifier: String
    public var files: [(name: String, bytes: [UInt8])]

    public init(identifier: String, files: [(name: String, bytes: [UInt8])]) {
        self.identifier = identifier
        self.files = files
    }

    /// Whether a folder holds a set stock AEM can unseal.
    public static func isComplete(at directory: String) -> Bool {
        format(at: directory) != nil
    }

    /// The TPM a complete set was sealed for, told from its files: at least
    /// one sealed secret, and all of them `openssl enc` files beside the
    /// key files (TPM 2.0) or all `tpm_sealdata` files (TPM 1.2). Nil for
    /// an incomplete or mixed folder.
    public static func format(at directory: String) -> TPMVersion? {
        let manager = FileManager.default
        let sealed = AEMSecretKind.allCases.map { directory + "/" + $0.sealedName }.filter {
            manager.fileExists(atPath: $0)
        }
        guard !sealed.isEmpty else { return nil }
        let heads = sealed.map { (try? FileBytes.read($0, limit: 16 << 20)) ?? [] }
        if heads.allSatisfy({ $0.starts(with: Array(TSSSealedFile.header.utf8)) }) { return .tpm12 }
        if heads.allSatisfy({ $0.starts(with: OpenSSLEncryptedFile.magic) }),
            [publicKeyFile, privateKeyFile, selectionFile].allSatisfy({
                manager.fileExists(atPath: directory + "/" + $0)
            })
        {
            return .tpm20
        }
        return nil
    }

    /// The identifier aem-reseal wrote into a set, nil for stock AEM's sets.
    public static func identifier(at directory: String) -> String? {
        (try? FileBytes.read(directory + "/" + identifierFile, limit: 256)).map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Reads back a set aem-reseal installed (its identifier file names
    /// it), to copy it to the media without sealing again. A link or a
    /// non-regular file in the folder is refused.
    public static func load(from directory: String) throws(DurableFileError) -> SealedSet {
        guard let identifier = identifier(at: directory), isComplete(at: directory) else {
            throw DurableFileError("reading the sealed set in", directory, errno: ENOENT)
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var files: [(name: String, bytes: [UInt8])] = []
        for name in names.sorted() where !name.hasPrefix(".") && name != identifierFile {
            let path = directory + "/" + name
            let kind = DurableFiles.kind(path)
            guard kind == S_IFREG else {
                throw kind == S_IFLNK
                    ? .link(path) : DurableFileError("reading (not a regular file)", path, errno: EINVAL)
            }
            do {
                files.append((name, try FileBytes.read(path, limit: 16 << 20)))
            } catch {
                throw DurableFileError("reading", path, errno: EIO)
            }
        }
        return SealedSet(identifier: identifier, files: files)
    }

    /// SHA-256 of the set's files, for comparing two copies.
    public static func fingerprint(at directory: String) -> String? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory), !names.isEmpty else {
            return nil
        }
        let engine = DigestEngine(.sha256)
        for name in names.sorted() where !name.hasPrefix(".") {
            guard let bytes = try? FileBytes.read(directory + "/" + name) else { return nil }
            engine.update(Array(name.utf8) + [0])
            engine.update(HashAlgorithm.sha256.hash(bytes).bytes)
        }
        return engine.finalize().hex
    }
}
