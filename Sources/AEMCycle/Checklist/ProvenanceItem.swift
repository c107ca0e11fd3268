import AEMCore
import AEMTPM
import Foundation

/// Nothing an evil maid could have put on /boot is in the next boot's
/// chain: each file is this boot's own or vouched for.
struct ProvenanceItem: ChecklistItem {
    let id = "provenance"
    let title = "Every file of the next boot is this boot's own or vouched for"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        guard case let .success(session) = context.session else {
            return .fail("no prediction to look at", fix: "see the self-check item")
        }
        let unvouched = session.provenance.unvouched
        guard unvouched.isEmpty else {
            return .fail(
                unvouched.map(ProvenanceText.refusal).joined(separator: "; "),
                fix:
                    "reinstall the package the file should come from, or let dracut or grub2-mkconfig write it "
                    + "again; if you put it there yourself, run sudo aem-reseal stage --vouch-for "
                    + unvouched.map(\.file.grubPath).joined(separator: " --vouch-for "))
        }
        let vouched = session.provenance.all.filter {
            if case .vouched = $0.provenance { return true }
            return false
        }
        return .pass(
            vouched.isEmpty
                ? "every file is this boot's own"
                : vouched.map { "\($0.file.grubPath): \(ProvenanceText.summary($0.provenance))" }.joined(
                    separator: "; "))
    }
}
