import AEMCore
import AEMCycle
import ArgumentParser
import Foundation

struct ChecklistCommand: SystemCommand {
    static let configuration = CommandConfiguration(
        commandName: "checklist",
        abstract: "Everything that must be true before rebooting into the update, each item checked.",
        discussion: "Exit status 0 only when every item passes (warnings allowed)."
    )

    @OptionGroup var system: SystemOptions
    @OptionGroup var tpm: TPMOptions
    @OptionGroup var live: LivePCROptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var aem: LabelOptions

    func execute() throws(CycleError) -> ExitStatus {
        let bar = ProgressBar.hashing()
        defer { bar.finish() }
        let context = try ChecklistContext(
            BootContext(system: system.selection, tpm: TPMChoice(tpm, live)), label: aem.label, progress: bar.reporter)
        bar.finish()
        let results = Checklist.items.map { item in (item, item.check(context)) }
        let ready = !results.contains { $0.1.status == .fail }

        if output.json {
            try JSONOutput.print(
                ChecklistDocument(
                    ready: ready,
                    items: results.map { ChecklistDocument.Item(id: $0.0.id, title: $0.0.title, result: $0.1) }))
        } else {
            let style = output.style
            var out: TerminalText = ""
            for (item, result) in results {
                let mark: TerminalText
                switch result.status {
                case .pass: mark = style.green("[pass]")
                case .warning: mark = style.yellow("[warn]")
                case .fail: mark = style.red("[FAIL]")
                }
                out += "\(mark) \(item.title)\n       \(result.detail)\n"
                if let fix = result.fix, result.status != .pass { out += "       fix: \(fix)\n" }
            }
            let failing = results.filter { $0.1.status == .fail }.count
            out +=
                "\n"
                + (ready
                    ? style.green("Ready to reboot.") : style.red("Not ready to reboot: \(failing) item(s) to fix."))
                + "\n"
            Terminal.standardOutput.write(out)
        }
        return ready ? .success : .mismatch
    }
}

/// `checklist --json`.
struct ChecklistDocument: Encodable {
    struct Item: Encodable {
        var id: String
        var title: String
        var result: ChecklistResult

        enum CodingKeys: String, CodingKey { case id, title, status, detail, fix }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(title, forKey: .title)
            try container.encode(result.status, forKey: .status)
            try container.encode(result.detail, forKey: .detail)
            try container.encodeIfPresent(result.fix, forKey: .fix)
        }
    }

    var ready: Bool
    var items: [Item]
}
