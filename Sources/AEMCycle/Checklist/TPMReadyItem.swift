import AEMCore
import AEMTPM
import Foundation

/// The TPM answers and AEM's storage root key exists.
struct TPMReadyItem: ChecklistItem {
    let id = "tpm"
    let title = "TPM reachable and AEM's SRK present"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        TPMDeadline.guarding { probe(context) }
    }

    private func probe(_ context: ChecklistContext) -> ChecklistResult {
        if context.tpm.noTpm || context.tpm.pcrsFile != nil {
            return .warning(
                "not checked (--no-tpm or --pcrs-file)", fix: "run the checklist without them on the real system")
        }
        let version: TPMVersion
        do {
            version = try context.boot.tpmVersion()
        } catch {
            return .fail("\(error)", fix: "check /sys/class/tpm, or name the version with --tpm-version")
        }
        if version == .tpm12 {
            do {
                guard try TPM12Connection().hasSRK() else {
                    return .fail(
                        "tcsd knows no SRK: the TPM is not owned",
                        fix: "set AEM up on this TPM (anti-evil-maid-tpm-setup)")
                }
                return .pass("TPM 1.2 through tcsd, SRK registered")
            } catch {
                return .fail("cannot reach the TPM 1.2: \(error.description)", fix: "start tcsd (systemctl start tcsd)")
            }
        }
        let tcti = context.tpm.tcti ?? TPMConnection.defaultTCTI
        do {
            let connection = try TPMConnection(tcti: tcti)
            guard connection.hasPersistentKey() else {
                return .fail(
                    "the TPM has no key at 0x81000001", fix: "set AEM up on this TPM (anti-evil-maid-tpm-setup)")
            }
            return .pass("TPM at \(tcti), SRK at 0x81000001")
        } catch {
            return .fail(
                "cannot reach the TPM: \(error.description)",
                fix: "check that \(tcti) exists and that no other program holds it")
        }
    }
}
