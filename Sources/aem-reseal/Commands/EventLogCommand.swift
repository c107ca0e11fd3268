import AEMCore
import AEMCycle
import ArgumentParser

struct EventLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventlog",
        abstract: "Read and replay TPM event logs (firmware, TXT, tboot).",
        subcommands: [EventLogShowCommand.self, EventLogReplayCommand.self]
    )
}

/// Reads and decodes an event log file named on the command line.
func loadEventLog(_ path: String) throws(CycleError) -> EventLogDecoder.Decoded {
    let bytes: [UInt8]
    do {
        bytes = try FileBytes.read(path)
    } catch {
        throw .badInput(error.description)
    }
    do {
        return try EventLogDecoder.decode(bytes)
    } catch {
        throw .badInput("\(path): \(error.description)")
    }
}

func printWarnings(_ log: EventLog, style: Style) {
    for warning in log.warnings {
        Terminal.standardError.write(
            "aem-reseal: \(style.yellow("warning")): \(warning.description)\n")
    }
}
