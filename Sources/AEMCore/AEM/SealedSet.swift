import Foundation

/// The files of one sealed set, in the layout stock AEM reads from
/// `/var/lib/tpm/<label>/` and from `<media>/aem/tpms/<tpm-id>/<label>/`:
/// on TPM 2.0 the sealed key (`key.pub`, `key.priv`, `key.pcrs`) and the
/// `openssl enc` files; on TPM 1.2 only the `tpm_sealdata` files. A set
/// as it lies in a folder is a `StoredSealedSet`.
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
}
