import AEMCore
import Foundation

extension RunLock {
    /// Takes the run lock for a command that changes sealed sets or state.
    /// `AEM_RESEAL_LOCK_TIMEOUT` (seconds) bounds the wait; by default
    /// 120 s, and 10 s when unattended (the rpm trigger must not hold up dnf
    /// behind a run waiting at its prompt).
    public static func forCommand(
        _ command: String, layout: SystemLayout, unattended: Bool, ui: any CycleUserInterface
    ) throws(CycleError) -> RunLock {
        let timeout =
            ProcessInfo.processInfo.environment["AEM_RESEAL_LOCK_TIMEOUT"].flatMap(TimeInterval.init)
            ?? (unattended ? 10 : 120)
        do {
            return try RunLock(directory: layout.stateDirectory, command: command, timeout: timeout) { holder in
                ui.notice(NoticeLine(.info, "aem-reseal: waiting for another run (\(holder)) to finish..."))
            }
        } catch let .lockFile(failure)
            where [.system(.permissionDenied), .system(.notPermitted)].contains(failure.reason)
        {
            throw .badInput(
                "cannot take the lock in \(layout.stateDirectory): permission denied. The state is "
                    + "root's: run this with sudo"
            )
        } catch let .busy(holder) {
            throw .busy(RunLockError.busy(holder: holder).description)
        } catch {
            throw .writeFailed(error.description)
        }
    }
}
