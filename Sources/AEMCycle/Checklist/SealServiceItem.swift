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
            do {
                let names =
                    try FileBytes.exists(folder) ? try FileManager.default.contentsOfDirectory(atPath: folder) : []
                for want in names where want.hasSuffix(".wants") {
                    // A unit link that dangles under --root still says the unit is enabled.
                    if try FileBytes.exists("\(folder)/\(want)/anti-evil-maid-seal.service") {
                        return .pass("\(root)/\(want)")
                    }
                }
            } catch {
                return .fail("cannot tell from \(folder): \(error)", fix: "run it as root (sudo)")
            }
        }
        return .fail(
            "not enabled: after the reboot AEM would not reseal to the new boot",
            fix: "sudo systemctl enable anti-evil-maid-seal.service")
    }
}
