import AEMCore
import AEMTPM
import Foundation

/// GRUB boots an AEM entry by default, and every file it loads is there.
struct DefaultEntryItem: ChecklistItem {
    let id = "grub-entry"
    let title = "GRUB's default entry is the AEM entry, with every module present"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        switch context.bootEntry {
        case let .failure(error):
            return .fail(
                error.description,
                fix: "make the AEM entry the default (grub2-set-default \"<AEM entry>\") or fix grub.cfg")
        case let .success((grub, entry)):
            let missing = entry.modules.map(\.path).filter { grub.partition.type(of: $0)?.type != .regular }
            guard missing.isEmpty else {
                return .fail(
                    "the entry loads files that do not exist: \(missing.joined(separator: ", "))",
                    fix: "regenerate grub.cfg: grub2-mkconfig -o /boot/grub2/grub.cfg")
            }
            return .pass("\"\(entry.titlePath)\" loads \(entry.modules.map(\.path).joined(separator: ", "))")
        }
    }
}
