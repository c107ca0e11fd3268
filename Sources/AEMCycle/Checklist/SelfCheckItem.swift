import AEMCore
import AEMTPM
import Foundation

/// The prediction proves its model on this boot.
struct SelfCheckItem: ChecklistItem {
    let id = "self-check"
    let title = "The prediction's self-check passes"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        switch context.session {
        case let .failure(error):
            return .fail(error.description, fix: "fix the input named, then run sudo aem-reseal predict")
        case let .success(session):
            let check = session.prediction.selfCheck
            switch check.status {
            case .ok: return .pass("ok: \(check.verifiedModules.count) module(s) prove the model on this boot")
            case .unconfirmed:
                return .warning(
                    "unconfirmed: every module changed, none could prove the model",
                    fix: "nothing to fix; verify after the reboot")
            case .unavailable:
                return .fail("no live PCRs to compare with", fix: "run the checklist with the TPM (no --no-tpm)")
            case .mismatch:
                return .fail(
                    "mismatch: \(check.problems.first?.text ?? "")",
                    fix: "run sudo aem-reseal predict and fix what it reports")
            }
        }
    }
}
