import AEMCore
import Foundation
import SystemPackage

/// The cycle's state as every command reads it: absent is "no
/// state", but unreadable is an error that says so (and, without root,
/// to run with sudo) rather than a false "nothing pending".
func loadResealState(_ layout: SystemLayout) throws -> ResealState? {
    do {
        return try ResealState.load(from: layout.stateFile)
    } catch let error as FileAccessError
        where [.system(.permissionDenied), .system(.notPermitted)].contains(error.reason)
    {
        throw ToolError("cannot read \(layout.stateFile): permission denied. The state is root's: run this with sudo")
    } catch {
        throw ToolError(
            "\(layout.stateFile) is unreadable: \(error). It records a staged or interrupted cycle, which is never "
                + "guessed: restore it from a backup, or move it aside once `sudo aem-reseal checklist` shows the "
                + "active seal is whole")
    }
}
