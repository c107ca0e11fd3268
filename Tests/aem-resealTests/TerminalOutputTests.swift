import AEMTestSupport
import Foundation
import Testing

/// Long hashing shows a progress bar on a terminal and nothing elsewhere;
/// colour only on a terminal, never with --no-color.
@Suite(.serialized) struct TerminalOutputTests {
    @Test func progressBarAndColourOnlyOnATerminal() throws {
        let tree = try BootTree()
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel("6.6.21", seed: 10)
        // A 20 MiB initramfs stored uncompressed (an early cpio first): long enough for the bar.
        try tree.directory.write("boot/initramfs-6.6.21.img", Array("070701".utf8) + testBytes(20 << 20, seed: 3))
        try tree.age("boot/initramfs-6.6.21.img")
        try tree.writeGrubConfiguration()
        let tpm = try SoftwareTPM()
        let log = try tree.directory.write(
            "drtm.log",
            try BootSimulator.boot(
                tree.chain(flow: .detailsAuthorities, xen: "4.17.3", kernel: "6.6.21", initramfsLoaded: "raw"), on: tpm)
        )
        let arguments = ["predict", "--root", tree.root, "--tcti", tpm.tcti, "--event-log", log]

        // Under a pseudo-terminal (script(1)): the bar and colours appear.
        let command = ([CLI.executable.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let onTerminal = try Command.run(
            "script", ["-qec", command, "/dev/null"], environment: ["TERM": "xterm", "NO_COLOR": ""])
        #expect(onTerminal.status == 0, "\(onTerminal.stdout)")
        #expect(onTerminal.stdout.contains("hashing /initramfs-6.6.21.img ["))
        #expect(onTerminal.stdout.contains("\u{1B}[32mSelf-check: ok"))
        let plainTerminal = try Command.run(
            "script", ["-qec", command + " --no-color", "/dev/null"], environment: ["TERM": "xterm", "NO_COLOR": ""])
        #expect(!plainTerminal.stdout.contains("\u{1B}[32m"))

        // Into pipes: neither.
        let piped = try CLI.run(arguments, environment: ["NO_COLOR": ""])
        #expect(piped.status == 0)
        #expect(!piped.stderr.contains("hashing"))
        #expect(!piped.stdout.contains("\u{1B}["))
    }
}

/// Control characters from untrusted input never reach the terminal.
@Suite struct VisibleTextTests {
    /// A --pcrs-file whose bad line tries to retitle the window and clear
    /// the screen: the error shows the escapes instead.
    @Test func controlBytesInAnInputFileAreEscapedInTheError() throws {
        let directory = try TemporaryDirectory()
        let hostile = try directory.write("pcrs.yaml", "sha256:\n\u{1B}]0;owned\u{07}\u{1B}[2J\u{202E}\n")
        let tree = try BootTree()
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel("6.6.21", seed: 10)
        try tree.writeGrubConfiguration()
        let tpm = try SoftwareTPM()
        let log = try tree.directory.write(
            "drtm.log",
            try BootSimulator.boot(tree.chain(flow: .detailsAuthorities, xen: "4.17.3", kernel: "6.6.21"), on: tpm))
        let result = try CLI.run(["predict", "--root", tree.root, "--event-log", log, "--pcrs-file", hostile])
        #expect(result.status == 2)
        #expect(!result.stderr.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{202E}" })
        #expect(result.stderr.contains("\\x1b]0;owned\\x07\\x1b[2J\\u{202e}"), "\(result.stderr)")
    }
}

/// A title and a file name on /boot carrying terminal escapes and a
/// bidirectional override go through every command's human output
/// escaped: no raw ESC, BEL or U+202E ever reaches the terminal.
@Suite(.serialized) struct HostileNamesTests {
    /// (No `;` in it: in grub.cfg that would end the command.)
    static let hostileName = "xen-4.17.4\u{1B}[2J\u{07}\u{202E}.gz"
    static let hostileTitle = "AEM \u{1B}[2J Qubes\u{202E}"
    static let raw: Set<Unicode.Scalar> = ["\u{1B}", "\u{07}", "\u{202E}"]

    static func expectEscaped(_ result: CLI.Result, _ what: String) {
        let output = result.stdout + result.stderr
        #expect(!output.unicodeScalars.contains(where: raw.contains), "\(what) printed a raw control character")
    }

    @Test func everyCommandEscapesHostileNames() throws {
        let setup = try StageBehaviourTests.setup()
        let tree = setup.tree
        try tree.directory.write("boot/" + Self.hostileName, try tree.directory.read("boot/xen-4.17.4.gz"))
        let cfg = try String(contentsOfFile: tree.boot + "/grub2/grub.cfg", encoding: .utf8)
        try tree.directory.write(
            "boot/grub2/grub.cfg",
            cfg.replacingOccurrences(of: "/xen-4.17.4.gz", with: "/" + Self.hostileName).replacingOccurrences(
                of: "AEM Qubes, with Xen hypervisor", with: Self.hostileTitle))
        let escapedName = "xen-4.17.4\\x1b[2J\\x07\\u{202e}.gz"

        let predict = try CLI.run(HostileInputTests.arguments("predict", setup))
        #expect(predict.status == 0, "\(predict.stderr)")
        Self.expectEscaped(predict, "predict")
        #expect(predict.stdout.contains("AEM \\x1b[2J Qubes\\u{202e}"), "\(predict.stdout)")
        #expect(predict.stdout.contains(escapedName))

        // Nothing vouches for the renamed Xen: the refusal names it, escaped.
        let refused = try CLI.run(HostileInputTests.arguments("stage", setup, ["--yes"]))
        #expect(refused.status == 1)
        Self.expectEscaped(refused, "stage's refusal")
        #expect(refused.stderr.contains(escapedName), "\(refused.stderr)")

        let checklist = try CLI.run(HostileInputTests.arguments("checklist", setup))
        Self.expectEscaped(checklist, "checklist")
        #expect(checklist.stdout.contains(escapedName))

        // The name is no plain word to GRUB, so grub.cfg needs the user's word too.
        #expect(refused.stderr.contains("grub2-mkconfig copies such a name into grub.cfg"), "\(refused.stderr)")
        let staged = try CLI.run(
            HostileInputTests.arguments(
                "stage", setup, ["--yes", "--vouch-for", "/" + Self.hostileName, "--vouch-for", "/grub2/grub.cfg"]))
        #expect(staged.status == 0, "\(staged.stderr)")
        Self.expectEscaped(staged, "stage")
        #expect(staged.stdout.contains("Changed components:"))
        #expect(staged.stdout.contains("4.17.4\\x1b[2J\\x07\\u{202e}"), "\(staged.stdout)")
        #expect(staged.stderr.contains("WARNING: --vouch-for"))

        let status = try CLI.run(["status", "--json", "--root", tree.root]).json()
        #expect(status["userVouched"] as? [String] == ["/" + Self.hostileName, "/grub2/grub.cfg"])
        for command in [["status"], ["rollback", "--yes"]] {
            let result = try CLI.run([command[0], "--root", tree.root] + command.dropFirst())
            #expect(result.status == 0, "\(command): \(result.stderr)")
            Self.expectEscaped(result, command[0])
        }
        // JSON shown on a terminal is as safe: its escapes are JSON's own.
        let json = try CLI.run(HostileInputTests.arguments("predict", setup, ["--json"]))
        Self.expectEscaped(json, "predict --json")
        #expect(json.stdout.contains("\\u202e"))
        #expect(try json.json()["entry"] as? [String: String] != nil)
    }
}
