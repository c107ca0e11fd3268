/// The TPM generation, as AEM tells them apart.
public enum TPMVersion: String, Sendable, Codable {
    case tpm12 = "1.2"
    case tpm20 = "2.0"
}
