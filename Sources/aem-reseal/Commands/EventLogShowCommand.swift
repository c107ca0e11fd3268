import AEMCore
import AEMCycle
import ArgumentParser

struct EventLogShowCommand: ResealCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "List the events of a log: index, PCR, type, digests and a short view of the data."
    )

    @Argument(
        help: "The event log: a TCG (crypto-agile or 1.2) log, a TXT log, a tboot memory-log image or txt-stat text.",
        completion: .file())
    var file: String

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Flag(help: "Never colour the output.")
    var noColor = false

    func execute() throws(CycleError) -> ExitStatus {
        let decoded = try loadEventLog(file)
        let log = decoded.log
        if json {
            try JSONOutput.print(EventLogShowDocument(log))
            return .success
        }
        let style = Style(noColor: noColor)
        printWarnings(log, style: style)
        var out: TerminalText =
            style.bold(
                "format: \(log.format.rawValue), \(log.events.count) events, banks: "
                    + "\(log.banks.map(\.rawValue).joined(separator: ", "))"
            ) + "\n"
        out += style.bold("\(pad("#", 5) + pad("PCR", 5) + pad("TYPE", 34))DATA") + "\n"
        for event in log.events {
            let meaning = SlaunchEventMeaning.describe(event).map { "  [\($0)]" } ?? ""
            out +=
                "\(pad(String(event.sequence), 5) + pad(event.pcr == 255 ? "255" : String(event.pcr), 5))"
                + "\(pad(event.type.name, 34))\(EventDataSummary.summarize(event.data))\(meaning)\n"
            for digest in event.digests {
                out += "          \(pad(digest.algorithm.rawValue, 8))\(digest.hex)\n"
            }
        }
        Terminal.standardOutput.write(out)
        return .success
    }
}

/// `eventlog show --json`.
struct EventLogShowDocument: Encodable {
    struct Event: Encodable {
        var index: Int
        var offset: Int
        var pcr: UInt32
        var type: String
        var typeName: String
        var digests: [String: String]
        var data: String
        /// What a TrenchBoot event (0x502) measures.
        var meaning: String?
    }

    var format: String
    var banks: [String]
    var events: [Event]
    var warnings: [String]

    init(_ log: EventLog) {
        format = log.format.rawValue
        banks = log.banks.map(\.rawValue)
        events = log.events.map { event in
            Event(
                index: event.sequence, offset: event.offset, pcr: event.pcr,
                type: "0x" + String(event.type.rawValue, radix: 16), typeName: event.type.name,
                digests: event.digests.hexByBank,
                data: Hex.encode(event.data), meaning: SlaunchEventMeaning.describe(event))
        }
        warnings = log.warnings.map(\.description)
    }
}

/// A one-line view of event data: quoted text when printable, else hex.
enum EventDataSummary {
    static func summarize(_ data: [UInt8]) -> String {
        if data.isEmpty { return "-" }
        var text = data
        while text.last == 0 { text.removeLast() }
        let printable = !text.isEmpty && text.allSatisfy { (0x20...0x7E).contains($0) }
        if printable {
            let string = String(decoding: text.prefix(60), as: UTF8.self)
            return "\"\(string)\(text.count > 60 ? "…" : "")\" (\(data.count) bytes)"
        }
        return Hex.encode(data.prefix(24)) + (data.count > 24 ? "…" : "") + " (\(data.count) bytes)"
    }
}
