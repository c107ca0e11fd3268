import AEMCore
import Foundation

/// Takes the run lock for a command that changes sealed sets or state.
/// `AEM_RESEAL_LOCK_TIMEOUT` (seconds, default 120) bounds the wait.
func takeRunLock(_ layout: SystemLayout, command: String) throws -> RunLock {
    // A mistyped --root must not get a lock folder created under it.
    guard DurableFiles.kind(layout.root) == S_IFDIR else {
        throw failure("--root \(layout.root) is not an existing folder; nothing was created")
    }
    let timeout = ProcessInfo.processInfo.environment["AEM_RESEAL_LOCK_TIMEOUT"].flatMap(TimeInterval.init) ?? 120
    do {
        return try RunLock(directory: layout.stateDirectory, command: command, timeout: timeout) { holder in
            Terminal.standardError.write("aem-reseal: waiting for another run (\(holder)) to finish...\n")
        }
    } catch {
        throw failure("\(error)")
    }
}
