/// The command lines this boot actually ran with, as the running system
/// shows them: dom0's own (`/proc/cmdline`) and Xen's as it printed it
/// (`Command line: ...` in its console). What GRUB will pass at the next
/// boot is compared with them byte for byte: under TrenchBoot they are
/// measured only into PCR 18, which a transition seal leaves out, so
/// nothing else tells whether they change. Nil where the system shows none.
public struct BootedCommandLines: Sendable, Codable, Equatable {
    public var xen: String?
    public var dom0: String?

    public init(xen: String?, dom0: String?) {
        self.xen = xen
        self.dom0 = dom0
    }

    /// From `/proc/cmdline`'s bytes (the kernel ends it with a newline) and
    /// Xen's console text (the last `Command line:` line: the console copy
    /// may hold earlier boots before it).
    public init(procCommandLine: [UInt8]?, xenConsole: String?) {
        dom0 = procCommandLine.map { bytes in
            String(decoding: bytes.last == 0x0A ? bytes.dropLast() : bytes[...], as: UTF8.self)
        }
        xen = xenConsole.flatMap(Self.xenCommandLine(inConsole:))
    }

    /// What Xen prints before its command line.
    public static let xenMarker = "Command line: "
    /// What Xen prints first at every boot: the console copy keeps earlier boots before it.
    static let xenBanner = "Xen version "

    /// Xen's `Command line: <text>` (after `(XEN) ` and any timestamp) of
    /// the last boot in the console: after its last version banner, or
    /// the last one when no banner is there. Nil when that boot's lines
    /// hold none (never an earlier boot's).
    static func xenCommandLine(inConsole text: String) -> String? {
        var found: String?
        // `isNewline` splits "\r\n" too, one Character in Swift.
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("(XEN)") {
            if line.contains(xenBanner) {
                found = nil
            } else if let range = line.range(of: xenMarker) {
                found = String(line[range.upperBound...])
            }
        }
        return found
    }
}
