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
