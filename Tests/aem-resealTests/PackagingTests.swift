import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// The rpm file trigger, fed the file lists rpm passes; the generated man
/// page and completions kept current.
@Suite struct PackagingTests {
    /// A root with AEM set up and a stub aem-reseal that logs its arguments
    /// and prints what it is given (as `stage` would).
    struct TriggerRoot {
        let directory: TemporaryDirectory
        let calls: String
        let stub: String

        init(aemInstalled: Bool = true, stubStatus: Int = 0, stubOutput: String = "stub output") throws {
            directory = try TemporaryDirectory()
            if aemInstalled { try directory.write("etc/anti-evil-maid.conf", "SEAL=\"--pcr 13 --pcr 17 --pcr 18\"\n") }
            calls = directory.path("calls")
            stub = try directory.write(
                "aem-reseal",
                "#!/bin/sh\necho \"$@\" >> \(calls)\ncat > \(calls).stdin\necho '\(stubOutput)'\nexit \(stubStatus)\n",
                mode: 0o755)
        }

        /// Runs the trigger as rpm does, with `arguments` (the spec passes
        /// the rpm process's pid, and `--removed` after an uninstall).
        func fire(_ files: [String], arguments: [String] = []) throws -> CLI.Result {
            try Command.run(
                Fixtures.project("packaging/rpm-trigger"), arguments,
                stdin: files.map { $0 + "\n" }.joined(),
                environment: ["AEM_RESEAL": stub, "AEM_RESEAL_ROOT": directory.path])
        }

        var invocations: [String] {
            ((try? String(contentsOfFile: calls, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        /// What the last invocation read on standard input.
        var input: String { (try? String(contentsOfFile: calls + ".stdin", encoding: .utf8)) ?? "" }
    }

    @Test func xenUpdateStagesNonInteractively() throws {
        let root = try TriggerRoot()
        let result = try root.fire([
            "/boot/xen-4.17.4.gz", "/boot/xen-4.17.gz", "/boot/xen-syms-4.17.4", "/boot/grub2/grub.cfg",
        ])
        #expect(result.status == 0)
        #expect(root.invocations == ["stage --non-interactive --transaction-files - --root \(root.directory.path)"])
        // stage is told every file the transaction installed on /boot.
        #expect(
            root.input == "/boot/xen-4.17.4.gz\n/boot/xen-4.17.gz\n/boot/xen-syms-4.17.4\n/boot/grub2/grub.cfg\n")
        #expect(result.stdout.contains("installed boot files: xen-4.17.4.gz xen-4.17.gz grub2/grub.cfg\n"))
        #expect(result.stdout.contains("stub output"))
        #expect(result.stdout.contains("Reboot dom0"))
    }

    /// Whatever the files' times, each kind of measured file leads to a
    /// prediction: Xen, kernel, initramfs, tboot, SINIT ACMs and GRUB's
    /// configuration.
    @Test(arguments: [
        "/boot/vmlinuz-6.6.22", "/boot/initramfs-6.6.22.img", "/boot/tboot.gz", "/boot/tboot-syms",
        "/boot/GM45_GS45_PM45_SINIT_51.BIN", "/boot/sinit/SKL_KBL_AML_SINIT_20211019_PRODUCTION_REL_NT_O1_1.10.0.bin",
        "/boot/grub2/grubenv", "/boot/efi/EFI/qubes/grub.cfg", "/etc/grub.d/19_linux_xen_tboot", "/etc/default/grub",
    ])
    func everyMeasuredKindLeadsToAPrediction(file: String) throws {
        let root = try TriggerRoot()
        #expect(try root.fire([file, "/boot/System.map-6.6.22"]).status == 0)
        #expect(root.invocations.count == 1, "\(file)")
    }

    @Test func unrelatedPackageStaysQuiet() throws {
        let root = try TriggerRoot()
        let result = try root.fire([
            "/boot/grub2/themes/system/background.png", "/boot/efi/EFI/qubes/fonts/unicode.pf2",
            "/boot/System.map-6.6.22", "/etc/default/useradd",
        ])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty && result.stderr.isEmpty)
        #expect(root.invocations.isEmpty)
    }

    /// Installing aem-reseal itself lists every file on /boot: the
    /// prediction runs, finds nothing changed, and the trigger says so.
    @Test func nothingToSealIsReportedAsNothingToDo() throws {
        let root = try TriggerRoot(stubOutput: "Nothing to seal: the next boot's sealed PCRs equal this boot's")
        let result = try root.fire([
            "/boot/xen-4.17.3.gz", "/boot/vmlinuz-6.6.21", "/boot/initramfs-6.6.21.img", "/boot/tboot.gz",
        ])
        #expect(result.status == 0)
        #expect(root.invocations.count == 1)
        #expect(result.stdout.contains("nothing to do"))
        #expect(!result.stdout.contains("Reboot dom0"))
    }

    @Test func failureToSealIsExplainedAndNeverFailsTheTransaction() throws {
        let root = try TriggerRoot(stubStatus: 5)
        let result = try root.fire(["/boot/xen-4.17.4.gz"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("could not seal ahead"))
        #expect(result.stdout.contains("aem-reseal status"))

        let withoutAEM = try TriggerRoot(aemInstalled: false)
        #expect(try withoutAEM.fire(["/boot/xen-4.17.4.gz"]).stdout.isEmpty)
        #expect(withoutAEM.invocations.isEmpty)
    }

    /// After a transaction that removed files under /boot (rpm gives the
    /// post-uninstall trigger no list), stage runs, told of no installed
    /// file, unless the installing trigger already staged in the same
    /// transaction (the same rpm process: its pid and start time).
    @Test func aRemovalStagesOnceUnlessTheInstallingTriggerDid() throws {
        let root = try TriggerRoot()
        let rpm = String(getpid())
        let staged = try root.fire(["/boot/xen-4.17.4.gz"], arguments: [rpm])
        #expect(staged.stdout.contains("installed boot files: xen-4.17.4.gz"), "\(staged.stdout)")
        #expect(root.invocations.count == 1)
        let sameTransaction = try root.fire([], arguments: [rpm, "--removed"])
        #expect(sameTransaction.stdout.isEmpty && root.invocations.count == 1, "\(sameTransaction.stdout)")

        // Another transaction (another rpm process) that only removed files.
        let removal = try root.fire([], arguments: ["1", "--removed"])
        #expect(removal.status == 0)
        #expect(removal.stdout.contains("this transaction removed files under /boot"), "\(removal.stdout)")
        #expect(root.invocations.count == 2)
        #expect(root.invocations.last == "stage --non-interactive --transaction-files - --root \(root.directory.path)")
        #expect(root.input.isEmpty, "a removed file is never given as installed")
        // Were rpm to list the removed files one day, they are still not installed ones.
        _ = try root.fire(["/boot/vmlinuz-6.6.21"], arguments: ["1", "--removed"])
        #expect(root.input.isEmpty)

        let withoutAEM = try TriggerRoot(aemInstalled: false)
        #expect(try withoutAEM.fire([], arguments: ["1", "--removed"]).stdout.isEmpty)
        #expect(withoutAEM.invocations.isEmpty)
    }

    /// The preset enables the record unit, and sorts before dom0's
    /// `99-qubes-default-disable.preset` (`disable *`).
    @Test func thePresetEnablesTheRecordUnitBeforeQubesDisablesTheRest() throws {
        let preset = "packaging/80-aem-reseal.preset"
        let lines = try String(contentsOfFile: Fixtures.project(preset), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines == ["enable aem-reseal-record.service"])
        #expect("80-aem-reseal.preset" < "99-qubes-default-disable.preset")
        #expect(FileManager.default.fileExists(atPath: Fixtures.project("packaging/aem-reseal-record.service")))
    }

    @Test func completionsAreCurrent() throws {
        for (shell, file) in [("bash", "completions/aem-reseal.bash"), ("zsh", "completions/_aem-reseal")] {
            let generated = try CLI.run(["--generate-completion-script", shell]).stdout
            #expect(
                generated == (try String(contentsOfFile: Fixtures.project(file), encoding: .utf8)),
                "run make completions")
        }
    }

    /// One exit-status table: the one the binary prints in its help (and
    /// the man page, generated from it) is the README's and the user guide's.
    @Test func exitStatusTableIsTheSameEverywhere() throws {
        let help = try CLI.run(["--experimental-dump-help"]).json()
        let discussion = try #require((help["command"] as? [String: Any])?["discussion"] as? String)
        let rows = discussion.split(separator: "\n").compactMap { line -> (String, String)? in
            guard let space = line.firstIndex(of: " "), Int(line[..<space]) != nil else { return nil }
            return (String(line[..<space]), line[space...].trimmingCharacters(in: .whitespaces))
        }
        #expect(rows.map(\.0) == ["0", "1", "2", "3", "4", "5", "6", "7", "8", "64", "75"])
        let manual = try String(contentsOfFile: Fixtures.project("docs/aem-reseal.1"), encoding: .utf8)
        for document in ["README.md", "docs/user-guide.md"] {
            let text = try String(contentsOfFile: Fixtures.project(document), encoding: .utf8)
            let documented = text.split(separator: "\n").filter {
                $0.hasPrefix("| ") && Int($0.dropFirst(2).prefix { $0 != " " }) != nil
            }
            #expect(documented.map(String.init) == rows.map { "| \($0.0) | \($0.1) |" }, "\(document)")
        }
        for (status, meaning) in rows {
            #expect(manual.contains("\(status)  \(meaning)"), "run make man")
            // The EXIT STATUS section lists each, as docs/man/assemble writes it.
            #expect(manual.contains(".It \(status)\n\(meaning)\n"), "run make man")
        }
        #expect(!manual.contains(".Ex -std"), "the generic exit-status line")
        for section in ["ENVIRONMENT", "FILES", "\"EXIT STATUS\"", "EXAMPLES", "\"SEE ALSO\""] {
            #expect(manual.contains(".Sh \(section)\n"), "\(section): run make man")
        }
        // Every variable the release build reads is documented there.
        for variable in ["TPM2TOOLS_TCTI", "NO_COLOR", "AEM_RESEAL_LOCK_TIMEOUT", "AEM_RESEAL_TPM_TIMEOUT"] {
            #expect(manual.contains(".It Ev \(variable)\n"), "\(variable)")
        }
    }

    @Test func manPageCoversEveryCommandAndOption() throws {
        let manual = try String(contentsOfFile: Fixtures.project("docs/aem-reseal.1"), encoding: .utf8)
        let help = try CLI.run(["--experimental-dump-help"]).json()
        func walk(_ command: [String: Any]) {
            if let name = command["commandName"] as? String, name != "aem-reseal" {
                #expect(manual.contains("Em \(name)"), "\(name) is not in the man page: run make man")
            }
            for argument in (command["arguments"] as? [[String: Any]]) ?? [] {
                if let names = argument["names"] as? [[String: Any]],
                    let long = names.first(where: { $0["kind"] as? String == "long" })?["name"] as? String
                {
                    #expect(
                        manual.contains("Fl -\(long)") || manual.contains(", -\(long)"),
                        "--\(long) is not in the man page: run make man")
                }
            }
            for sub in (command["subcommands"] as? [[String: Any]]) ?? [] { walk(sub) }
        }
        walk(try #require(help["command"] as? [String: Any]))
    }
}

/// The README's and the user guide's table of options says exactly which
/// command takes which option, as each command's `--help` does.
@Suite struct OptionTableTests {
    static let commands = [
        "predict", "stage", "checklist", "verify", "status", "rollback", "record", "eventlog show", "eventlog replay",
    ]

    /// Each command's long options, as its help lists them.
    static func options(of command: String) throws -> Set<String> {
        let help = try CLI.run(command.split(separator: " ").map(String.init) + ["--experimental-dump-help"]).json()
        let arguments = (help["command"] as? [String: Any])?["arguments"] as? [[String: Any]] ?? []
        return Set(
            arguments.compactMap { argument in
                (argument["names"] as? [[String: Any]])?.first { $0["kind"] as? String == "long" }?["name"] as? String
            }.map { "--" + $0 }
        ).subtracting(["--help", "--version"])
    }

    @Test func documentedOptionsAreTheOnesEachCommandTakes() throws {
        let actual = Dictionary(uniqueKeysWithValues: try Self.commands.map { ($0, try Self.options(of: $0)) })
        for document in ["README.md", "docs/user-guide.md"] {
            let text = try String(contentsOfFile: Fixtures.project(document), encoding: .utf8)
            var documented = [String: Set<String>]()
            for line in text.split(separator: "\n") where line.hasPrefix("| `--") {
                let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                let options = cells[0].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    .map { $0.replacingOccurrences(of: "`", with: "") }
                let takers =
                    cells[1] == "every command"
                    ? Self.commands : cells[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                for command in takers { documented[command, default: []].formUnion(options) }
            }
            for command in Self.commands {
                #expect(documented[command, default: []] == actual[command], "\(document): \(command)")
            }
        }
    }
}
