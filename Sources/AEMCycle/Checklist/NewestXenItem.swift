import AEMCore
import AEMTPM
import Foundation
import SystemPackage

/// The entry loads the newest Xen on the boot partition.
struct NewestXenItem: ChecklistItem {
    let id = "newest-xen"
    let title = "The entry loads the newest installed Xen"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        guard case let .success((_, entry)) = context.bootEntry, let xen = entry.modules.first else {
            return .fail("no AEM entry to look at", fix: "see the grub-entry item")
        }
        let listed: [ConfinedDirectory.Entry]
        do {
            listed = try BootPartition(path: context.layout.bootDirectory).directory.entries()
        } catch {
            return .fail("cannot list \(context.layout.bootDirectory): \(error)", fix: "check the boot partition")
        }
        let names = listed.filter { $0.type == .regular }.compactMap { String(validating: $0.name) }
        let versions = names.compactMap { name -> String? in
            guard name.hasPrefix("xen-"), !name.hasPrefix("xen-syms"), name.hasSuffix(".gz") else { return nil }
            return String(name.dropFirst(4).dropLast(3))
        }
        guard let newest = versions.max(by: VersionOrder.less) else {
            return .fail("no xen-*.gz on \(context.layout.bootDirectory)", fix: "reinstall the xen-hypervisor package")
        }
        let loaded = ComponentVersions.version(fromPath: xen.path) ?? xen.path
        guard loaded == newest else {
            return .fail(
                "the entry loads Xen \(loaded) but \(newest) is installed",
                fix: "regenerate grub.cfg: grub2-mkconfig -o /boot/grub2/grub.cfg, then run aem-reseal stage again")
        }
        return .pass("Xen \(newest)")
    }
}
