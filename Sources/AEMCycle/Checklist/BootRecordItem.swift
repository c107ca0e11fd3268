import AEMCore
import AEMTPM
import Foundation

/// The running boot is recorded: without it an update that replaces a
/// booted file can be sealed ahead only while that file stays on /boot.
struct BootRecordItem: ChecklistItem {
    let id = "boot-record"
    let title = "This boot is recorded (aem-reseal record)"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        let advice: BootRecordAdvice
        do {
            advice = try BootRecordAdvice(context.boot)
        } catch {
            return .fail(
                "\(error)", fix: "run it as root (sudo); if the record is damaged, keep it (it is this boot's evidence)"
            )
        }
        guard let record = advice.record else { return .warning(BootRecordAdvice.missing, fix: BootRecordAdvice.fix) }
        return .pass("recorded at \(record.recordedAt): \(record.modules.count) module(s) from \(record.logSource)")
    }
}
