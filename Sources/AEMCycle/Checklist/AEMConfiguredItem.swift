import AEMCore
import AEMTPM
import Foundation

/// anti-evil-maid.conf, the label's folder and at least one secret.
struct AEMConfiguredItem: ChecklistItem {
    let id = "aem-configuration"
    let title = "AEM configured (configuration, label, secrets)"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        do {
            guard try context.boot.aemConfiguration() != nil else {
                return .fail(
                    "\(context.layout.aemConfiguration) is missing", fix: "install the anti-evil-maid package")
            }
        } catch {
            return .fail(
                error.description,
                fix: "make \(context.layout.aemConfiguration) a readable file with SEAL=\"--pcr 13 --pcr 17 --pcr 18\" "
                    + "(TPM 2.0)")
        }
        switch context.installation {
        case let .failure(error):
            return .fail(error.description, fix: "set AEM up: anti-evil-maid-install and anti-evil-maid-tpm-setup")
        case let .success(installation):
            let secrets = installation.presentSecrets()
            guard !secrets.isEmpty else {
                return .fail(
                    "no secret in \(installation.plaintextDirectory)",
                    fix:
                        "create \(installation.plaintextDirectory)/secret.txt (or .otp, .key) as "
                        + "the AEM README describes"
                )
            }
            return .pass("label \(installation.label), secrets: \(secrets.map(\.rawValue).joined(separator: ", "))")
        }
    }
}
