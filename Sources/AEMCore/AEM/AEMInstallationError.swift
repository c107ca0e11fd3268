/// Why stock AEM's installation cannot be found or used. Thrown by
/// `AEMInstallation.init(layout:label:)`.
public enum AEMInstallationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--label` does not start with "aem", as every AEM media label does.
    case notAnAEMLabel(String)
    /// The sealed-secrets folder is not the link AEM's set-up makes.
    case notLinkedToTPMFolder(sealedSecrets: String)
    /// The link points somewhere that is not a TPM folder.
    case linkedOutsideTPMFolders(sealedSecrets: String, target: String)
    /// A file of the installation (the link, AEM's cached media suffix)
    /// exists but cannot be read: never taken for absent.
    case unreadable(FileAccessError)

    public var description: String {
        switch self {
        case let .notAnAEMLabel(label): return "\"\(label)\" is not an AEM label (it must start with \"aem\")"
        case let .notLinkedToTPMFolder(path):
            return "\(path) is not a link to /var/lib/tpms/<tpm-id>: is AEM installed and set up "
                + "(anti-evil-maid-install, anti-evil-maid-tpm-setup)?"
        case let .linkedOutsideTPMFolders(path, target): return "\(path) points to \"\(target)\", not to a TPM folder"
        case let .unreadable(error): return "AEM's installation cannot be read: \(error)"
        }
    }
}
