import AEMCore
import AEMCycle

/// A command that changes sealed sets or state (`stage`, `rollback`,
/// `record`, `verify`): `execute()` takes the run lock and holds it while
/// `executeLocked()` does the work, so no command can forget it.
protocol LockingCommand: SystemCommand {
    /// Whether the run is unattended, and so waits only briefly for the lock.
    var isUnattended: Bool { get }
    /// The command's work, under the lock.
    func executeLocked() throws(CycleError) -> ExitStatus
}

extension LockingCommand {
    var isUnattended: Bool { false }

    func execute() throws(CycleError) -> ExitStatus {
        let name = "aem-reseal " + (Self.configuration.commandName ?? "")
        let lock = try RunLock.forCommand(
            name, layout: system.layout, unattended: isUnattended, ui: TerminalUserInterface(style: Style()))
        return try withExtendedLifetime(lock) { () throws(CycleError) in try executeLocked() }
    }
}
