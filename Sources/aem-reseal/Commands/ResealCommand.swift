import AEMCore
import AEMCycle
import ArgumentParser

/// A command of the tool: its work throws only `CycleError`, so every way
/// it can fail has a row in the exit-status table (`ExitStatus(for:)`), and
/// it returns the status of an outcome that is not a failure (a check that
/// found a mismatch, a checklist not ready), after printing it.
protocol ResealCommand: ParsableCommand {
    /// What must hold before the work starts (the system under `--root`
    /// is a folder); nothing by default.
    func checkInputs() throws(CycleError)
    func execute() throws(CycleError) -> ExitStatus
}

extension ResealCommand {
    func checkInputs() throws(CycleError) {}

    func run() throws {
        try checkInputs()
        let status = try execute()
        if status != .success { throw ExitCode(status.rawValue) }
    }
}

/// A command that reads the system under `--root`: a root that is missing
/// or no folder is bad input (2), never an empty system that reads as
/// "nothing pending", and nothing (the run lock's folder) is made under it.
protocol SystemCommand: ResealCommand {
    var system: SystemOptions { get }
}

extension SystemCommand {
    func checkInputs() throws(CycleError) {
        do {
            _ = try ConfinedDirectory(path: system.root, resolution: .insidePartition)
        } catch {
            throw .badInput("--root \(system.root) is not an existing folder; nothing was created (\(error.reason))")
        }
    }
}
