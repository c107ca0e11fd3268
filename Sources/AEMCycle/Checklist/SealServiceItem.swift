import AEMCore
import AEMTPM
import Foundation

/// AEM reseals to the new boot after it (stock AEM's own service).
struct SealServiceItem: ChecklistItem {
    let id = "seal-service"
    let title = "anti-evil-maid-seal.service is enabled"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        let roots = ["etc/systemd/system", "usr/lib/systemd/system", "lib/systemd/system"]
        for root in roots {
            let folder = context.layout.path(root)
            let wants = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
                $0.hasSuffix(".wants")
            }
            for want in wants
            where FileManager.default.fileExists(atPath: "\(folder)/\(want)/anti-evil-maid-seal.service")
                || (try? FileManager.default.destinationOfSymbolicLink(
                    atPath: "\(folder)/\(want)/anti-evil-maid-seal.service")) != nil
            {
                return .pass("\(root)/\(want)")
            }
        }
        return .fail(
            "not enabled: after the reboot AEM would not reseal to the new boot",
            fix: "sudo systemctl enable anti-evil-maid-seal.service")
    }
}
