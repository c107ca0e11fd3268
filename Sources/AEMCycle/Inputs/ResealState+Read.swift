import AEMCore
import Foundation
import SystemPackage

/// The cycle's state as every command reads it: absent is "no
/// state", but unreadable is an error that says so (and, without root,
/// to run with sudo) rather than a false "nothing pending".
extension ResealState {
    /// The state file of `layout`, or nil when there is none.
    public static func read(_ layout: SystemLayout) throws(CycleError) -> ResealState? {
        do {
            return try ResealState.load(from: layout.stateFile)
        } catch let error as FileAccessError
            where [.system(.permissionDenied), .system(.notPermitted)].contains(error.reason)
        {
            throw .badInput(
                "cannot read \(layout.stateFile): permission denied. The state is root's: run this with sudo")
        } catch {
            throw .badInput(
                "\(layout.stateFile) is unreadable: \(error). It records a staged or interrupted cycle, which is "
                    + "never guessed: restore it from a backup, or move it aside once `sudo aem-reseal checklist` "
                    + "shows the active seal is whole")
        }
    }
}
