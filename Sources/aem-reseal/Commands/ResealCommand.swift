import AEMCycle
import ArgumentParser

/// A command of the tool: its work throws only `CycleError`, so every way
/// it can fail has a row in the exit-status table (`ExitStatus(for:)`), and
/// it returns the status of an outcome that is not a failure (a check that
/// found a mismatch, a checklist not ready), after printing it.
protocol ResealCommand: ParsableCommand {
    func execute() throws(CycleError) -> ExitStatus
}

extension ResealCommand {
    func run() throws {
        let status = try execute()
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
