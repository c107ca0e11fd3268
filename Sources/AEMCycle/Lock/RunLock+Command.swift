import AEMCore
import Foundation
import SystemPackage

/// Takes the run lock for a command that changes sealed sets or state.
/// `AEM_RESEAL_LOCK_TIMEOUT` (seconds) bounds the wait; by default 120 s,
/// and 10 s `--non-interactive` (the rpm trigger must not hold up dnf
/// behind a run waiting at its prompt).
func takeRunLock(_ layout: SystemLayout, command: String, nonInteractive: Bool = false) throws -> RunLock {
    // A mistyped --root must not get a lock folder created under it.
    guard (try? FilePath(layout.root).stat())?.type == .directory else {
        throw ToolError("--root \(layout.root) is not an existing folder; nothing was created")
    }
    let timeout =
        ProcessInfo.processInfo.environment["AEM_RESEAL_LOCK_TIMEOUT"].flatMap(TimeInterval.init)
        ?? (nonInteractive ? 10 : 120)
    do {
        return try RunLock(directory: layout.stateDirectory, command: command, timeout: timeout) { holder in
            Terminal.standardError.write("aem-reseal: waiting for another run (\(holder)) to finish...\n")
        }
    } catch let .lockFile(failure)
        where [.system(.permissionDenied), .system(.notPermitted)].contains(failure.reason)
    {
        throw ToolError(
            "cannot take the lock in \(layout.stateDirectory): permission denied. The state is "
                + "root's: run this with sudo"
        )
    } catch let .busy(holder) {
        throw ToolError(RunLockError.busy(holder: holder).description, status: .busy)
    } catch {
        throw ToolError(error.description, status: .systemFailure)
    }
}
