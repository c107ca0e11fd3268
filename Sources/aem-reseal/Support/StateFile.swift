import AEMCore
import Foundation
import SystemPackage

/// The cycle's state for a command that only reads it: absent is "no
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
        throw ToolError("\(layout.stateFile) is unreadable: \(error)")
    }
}
