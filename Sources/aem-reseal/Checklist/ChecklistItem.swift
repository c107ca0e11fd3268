import AEMCore
import AEMTPM
import Foundation

/// One thing that must be true before rebooting into the update. Each item
/// checks for real (files, the TPM, a fresh prediction) and says how to
/// fix what it finds.
protocol ChecklistItem: Sendable {
    /// Stable identifier, used in `checklist --json`.
    var id: String { get }
    var title: String { get }
    func check(_ context: ChecklistContext) -> ChecklistResult
}

struct ChecklistResult: Encodable {
    enum Status: String, Encodable {
        case pass, fail, warning
    }

    var status: Status
    var detail: String
    var fix: String?

    static func pass(_ detail: String) -> ChecklistResult { ChecklistResult(status: .pass, detail: detail, fix: nil) }
    static func fail(_ detail: String, fix: String) -> ChecklistResult { ChecklistResult(status: .fail, detail: detail, fix: fix) }
    static func warning(_ detail: String, fix: String? = nil) -> ChecklistResult { ChecklistResult(status: .warning, detail: detail, fix: fix) }
}

/// Everything the items look at, gathered once.
struct ChecklistContext {
    var layout: SystemLayout
    var system: SystemOptions
    var tpm: TPMOptions
    var label: String?
    var mediaOption: String?
    /// A fresh prediction of what is on disk now.
    var session: Result<PredictionSession, PredictionSession.Failure>
    var installation: Result<AEMInstallation, AEMInstallation.Missing>
    var state: ResealState?

    /// The staged cycle, when one is pending a reboot.
    var stagedState: ResealState? {
        guard let state, state.phase == .staged, state.stagedInBoot == nil || state.stagedInBoot == thisBoot else { return nil }
        return state
    }

    var thisBoot: Int64? { layout.bootTime().map { Int64($0.timeIntervalSince1970) } }

    /// The GRUB entry that will boot (without the prediction's other inputs).
    func bootEntry() -> Result<(GrubConfiguration, GrubBootEntry), GrubError> {
        let settings = GrubEvaluationSettings(bootDirectory: layout.bootDirectory, configurationFile: system.grubConfig ?? layout.grubConfiguration)
        do {
            let grub = try GrubConfiguration.load(settings)
            return .success((grub, try PredictionSession.selectEntry(grub, named: system.entry)))
        } catch {
            return .failure(error)
        }
    }
}
