import AEMCore
import AEMCycle
import ArgumentParser

struct EventLogReplayCommand: ResealCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Compute the PCR values an event log leads to, for every bank it records."
    )

    @Argument(
        help: "The event log: a TCG (crypto-agile or 1.2) log, a TXT log, a tboot memory-log image or txt-stat text.",
        completion: .file())
    var file: String

    @Flag(help: "Print JSON: {\"format\", \"events\", \"pcrs\": {bank: {pcr: hex}}}.")
    var json = false

    @Flag(help: "Never colour the output.")
    var noColor = false

    func execute() throws(CycleError) -> ExitStatus {
        let decoded = try loadEventLog(file)
        let log = decoded.log
        let pcrs = EventLogReplay.replay(log)
        if json {
            try JSONOutput.print(EventLogReplayDocument(log: log, pcrs: pcrs))
            return .success
        }
        let style = Style(noColor: noColor)
        printWarnings(log, style: style)
        var out: TerminalText = style.bold("format: \(log.format.rawValue), \(log.events.count) events") + "\n"
        if log.recordsDynamicLaunch { out += "dynamic launch: PCRs 17-22 start from zero\n" }
        for bank in pcrs.banks {
            out += style.bold("\(bank.rawValue)") + "\n"
            for pcr in pcrs.pcrs(in: bank) {
                out += "  \(pad(String(pcr), 4))\(pcrs[bank, pcr]!.hex)\n"
            }
        }
        Terminal.standardOutput.write(out)
        return .success
    }
}

/// `eventlog replay --json`. The keys `format`, `events` and `pcrs` are an
/// interface other tooling reads: never rename them.
struct EventLogReplayDocument: Encodable {
    var format: String
    var events: Int
    var pcrs: PCRValues
    var banks: [String]
    var dynamicLaunch: Bool
    var warnings: [String]

    init(log: EventLog, pcrs: PCRValues) {
        format = log.format.rawValue
        events = log.events.count
        self.pcrs = pcrs
        banks = log.banks.map(\.rawValue)
        dynamicLaunch = log.recordsDynamicLaunch
        warnings = log.warnings.map(\.description)
    }
}
