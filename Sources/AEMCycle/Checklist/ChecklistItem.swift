import AEMCore
import AEMTPM
import Foundation

/// One thing that must be true before rebooting into the update. Each item
/// checks for real (files, the TPM, a fresh prediction) and says how to
/// fix what it finds.
public protocol ChecklistItem: Sendable {
    /// Stable identifier, used in `checklist --json`.
    var id: String { get }
    var title: String { get }
    func check(_ context: ChecklistContext) -> ChecklistResult
}

/// What an item found, and how to fix it when it did not pass.
public struct ChecklistResult: Encodable {
    /// `warning` does not stop the reboot; `fail` does.
    public enum Status: String, Encodable {
        case pass, fail, warning
    }

    public var status: Status
    /// What was found.
    public var detail: String
    /// What to do about it (shown unless the item passed).
    public var fix: String?

    static func pass(_ detail: String) -> ChecklistResult { ChecklistResult(status: .pass, detail: detail, fix: nil) }
    static func fail(_ detail: String, fix: String) -> ChecklistResult {
        ChecklistResult(status: .fail, detail: detail, fix: fix)
    }
    static func warning(_ detail: String, fix: String? = nil) -> ChecklistResult {
        ChecklistResult(status: .warning, detail: detail, fix: fix)
    }
}

/// Everything the items look at, gathered once.
public struct ChecklistContext {
    /// The boot's facts, read once for every item.
    var boot: BootContext
    /// A fresh prediction of what is on disk now.
    var session: Result<PredictionSession, CycleError>
    /// The GRUB entry that will boot: the session's, else evaluated on its
    /// own, since the session may have failed for a reason GRUB has no part in.
    var bootEntry: Result<(grub: GrubConfiguration, entry: GrubBootEntry), BootEntrySelectionError>
    var installation: Result<AEMInstallation, AEMInstallationError>
    var state: ResealState?
    /// The running boot (its `btime`).
    var thisBoot: Int64?

    /// - Parameter progress: called as the prediction hashes big files.
    public init(
        _ boot: BootContext, label: String?, progress: (@Sendable (String, Int, Int) -> Void)? = nil
    ) throws(CycleError) {
        let layout = boot.layout
        self.boot = boot
        session = Result { () throws(CycleError) in try PredictionSession.run(boot, progress: progress) }
        if case let .success(session) = session {
            bootEntry = .success((session.grub, session.bootEntry))
        } else {
            let settings = try boot.grubSettings()
            bootEntry = Result { () throws(BootEntrySelectionError) in
                try PredictionSession.loadBootEntry(boot.system, settings: settings)
            }
        }
        installation = Result { () throws(AEMInstallationError) in try AEMInstallation(layout: layout, label: label) }
        state = try boot.state()
        thisBoot = try boot.bootTime()
    }

    var layout: SystemLayout { boot.layout }
    var system: SystemSelection { boot.system }
    var tpm: TPMChoice { boot.tpm }

    /// The staged cycle, when one is pending a reboot.
    var stagedState: ResealState? {
        guard let state, state.phase == .staged, state.stagedInBoot == nil || state.stagedInBoot == thisBoot else {
            return nil
        }
        return state
    }
}
