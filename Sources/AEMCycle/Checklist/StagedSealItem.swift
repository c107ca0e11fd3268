import AEMCore
import AEMTPM
import Foundation

/// A staged seal exists and still matches what is on disk now.
struct StagedSealItem: ChecklistItem {
    let id = "staged-seal"
    let title = "A staged seal matches a fresh prediction"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        guard case let .success(session) = context.session, case let .success(installation) = context.installation
        else {
            return .fail("no prediction or AEM installation to compare with", fix: "see the items above")
        }
        let prediction = session.prediction
        if let pending = context.state, pending.phase == .pending {
            // As `status` says: pending until a stage seals, or finds nothing to seal.
            return .fail(
                "the last aem-reseal stage sealed nothing: \(pending.message ?? "(nothing recorded)")",
                fix: "run sudo aem-reseal stage")
        }
        guard let staged = context.stagedState else {
            if prediction.changedSealedPCRs.isEmpty {
                return .pass(
                    "nothing staged, and the next boot's sealed PCRs equal this boot's: the current seal keeps working")
            }
            return .fail(
                "the next boot changes sealed PCR "
                    + "\(prediction.changedSealedPCRs.map(String.init).joined(separator: ", ")) but no seal is staged",
                fix: "run sudo aem-reseal stage")
        }
        let active: StoredSealedSet?
        do {
            active = try installation.installer().readActive()
        } catch {
            return .fail("the active set cannot be read: \(error)", fix: "run sudo aem-reseal stage again")
        }
        guard let active, active.fingerprint == staged.setFingerprint else {
            return .fail(
                "the active set in \(installation.sealedSetDirectory) is not the one staged",
                fix: "run sudo aem-reseal stage again")
        }
        let bank = prediction.flow.sealBank
        let sealed = prediction.transitionSeal?.sealedPCRs ?? session.configuration.sealPCRs
        let fresh = prediction.predicted.restricted(to: Set(sealed))
        let differing = sealed.filter { fresh[bank, $0] != staged.sealedTo?[bank, $0] }
        guard differing.isEmpty else {
            return .fail(
                "the files on disk changed since staging (another update or grub2-mkconfig?): PCR "
                    + "\(differing.map(String.init).joined(separator: ", ")) no longer matches the seal",
                fix: "run sudo aem-reseal stage again")
        }
        // The sealed files themselves must carry the fresh prediction.
        if let problem = SealedSetPolicy.mismatch(in: active, pcrs: sealed, bank: bank, values: prediction.predicted) {
            return .fail(problem, fix: "run sudo aem-reseal stage again")
        }
        return .pass(
            "staged \(staged.stagedAt.map { ISO8601DateFormatter().string(from: $0) } ?? ""), sealed to the PCRs the "
                + "next boot will produce\(staged.forced ? " (FORCED)" : "")"
        )
    }
}
