import ArgumentParser

/// A command that changes sealed sets or state (`stage`, `rollback`,
/// `record`, `verify`): `run()` takes the run lock (`takeRunLock`) and holds
/// it while `runLocked()` does the work, so no command can forget it.
protocol LockingCommand: ParsableCommand {
    var system: SystemOptions { get }
    /// Whether the run is unattended, and so waits only briefly for the lock.
    var isUnattended: Bool { get }
    /// The command's work, under the lock.
    func runLocked() throws
}

extension LockingCommand {
    var isUnattended: Bool { false }

    func run() throws {
        let name = "aem-reseal " + (Self.configuration.commandName ?? "")
        let lock = try takeRunLock(system.layout, command: name, nonInteractive: isUnattended)
        try withExtendedLifetime(lock) { try runLocked() }
    }
}
