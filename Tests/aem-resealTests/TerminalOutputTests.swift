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
        let log = try tree.directory.write("drtm.log", try BootSimulator.boot(tree.chain(flow: .detailsAuthorities, xen: "4.17.3", kernel: "6.6.21", initramfsLoaded: "raw"), on: tpm))
        let arguments = ["predict", "--root", tree.root, "--tcti", tpm.tcti, "--event-log", log]

        // Under a pseudo-terminal (script(1)): the bar and colours appear.
        let command = ([CLI.executable.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let onTerminal = try Command.run("script", ["-qec", command, "/dev/null"], environment: ["TERM": "xterm", "NO_COLOR": ""])
        #expect(onTerminal.status == 0, "\(onTerminal.stdout)")
        #expect(onTerminal.stdout.contains("hashing /initramfs-6.6.21.img ["))
        #expect(onTerminal.stdout.contains("\u{1B}[32mSelf-check: ok"))
        let plainTerminal = try Command.run("script", ["-qec", command + " --no-color", "/dev/null"], environment: ["TERM": "xterm", "NO_COLOR": ""])
        #expect(!plainTerminal.stdout.contains("\u{1B}[32m"))

        // Into pipes: neither.
        let piped = try CLI.run(arguments, environment: ["NO_COLOR": ""])
        #expect(piped.status == 0)
        #expect(!piped.stderr.contains("hashing"))
        #expect(!piped.stdout.contains("\u{1B}["))
    }
}
