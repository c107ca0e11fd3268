import AEMCore
import AEMTPM
import Foundation

/// The set that unseals on the current chain is kept for rollback.
struct PreviousSealItem: ChecklistItem {
    let id = "previous-seal"
    let title = "The previous seal is kept for rollback"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        guard case let .success(installation) = context.installation else {
            return .fail("AEM is not set up", fix: "see the aem-configuration item")
        }
        guard context.stagedState != nil else { return .pass("nothing staged: the active seal is the current one") }
        let previous = installation.previousSetDirectory
        let previousSet: StoredSealedSet?
        do {
            previousSet = try installation.installer().readPrevious()
        } catch {
            return .fail(
                "\(previous) cannot be read: \(error)",
                fix: "reseal with stock AEM after this boot (anti-evil-maid-seal), then run aem-reseal stage")
        }
        guard let previousSet, previousSet.isComplete else {
            return .fail(
                "\(previous) is missing or incomplete",
                fix: "reseal with stock AEM after this boot (anti-evil-maid-seal), then run aem-reseal stage")
        }
        // Complete is not enough: rollback must bring back a set that opens
        // on this boot, checked against the live PCRs.
        guard case let .success(session) = context.session, let live = session.livePCRs else {
            return .fail(
                "cannot read the live PCRs to check that \(previous) opens on this boot",
                fix: "run the checklist with the TPM available")
        }
        if let problem = SealedSetPolicy.mismatch(in: previousSet, opening: live) {
            return .fail(
                "\(previous) does not open on this boot (\(problem)): rollback would not bring back a working seal",
                fix: "reseal with stock AEM after this boot (anti-evil-maid-seal), then run sudo aem-reseal stage again"
            )
        }
        return .pass("\(previous), which opens on this boot's PCRs")
    }
}
