import Testing

@testable import AEMCore

/// What this boot ran with, as the running system shows it: dom0's
/// /proc/cmdline without its newline, and Xen's own `Command line:` of the
/// last boot in a console copy that may hold earlier boots.
struct BootedCommandLinesTests {
    @Test func dom0sIsProcCmdlineWithoutItsNewline() {
        let lines = BootedCommandLines(procCommandLine: Array("placeholder root=/dev/x ro\n".utf8), xenConsole: nil)
        #expect(lines.dom0 == "placeholder root=/dev/x ro")
        #expect(lines.xen == nil)
    }

    @Test func xensIsTheLastBootsAndNeverAnEarlierOnes() {
        let console = """
            (XEN) Xen version 4.17.3 (mockbuild@) debug=n
            (XEN) Command line: placeholder old=1\r
            (XEN) Xen version 4.17.4 (mockbuild@) debug=n
            (XEN) [0000000a] Command line: placeholder console=none iommu=on\r
            (XEN) Memory: 16G

            """
        #expect(BootedCommandLines.xenCommandLine(inConsole: console) == "placeholder console=none iommu=on")
        let lost = console + "(XEN) Xen version 4.17.5 (mockbuild@) debug=n\n(XEN) Memory: 16G\n"
        #expect(BootedCommandLines.xenCommandLine(inConsole: lost) == nil, "the last boot's line is not there")
        #expect(BootedCommandLines.xenCommandLine(inConsole: "(XEN) Command line: a b\n") == "a b")
        #expect(BootedCommandLines.xenCommandLine(inConsole: "Command line: not Xen's\n") == nil)
    }
}
