/// Where TrenchBoot's DRTM event log lies in physical memory, as Xen prints
/// it at boot: `SLAUNCH: reserving event log (0x7e000 - 0x86000)`, or in
/// newer Xen `SLAUNCH: reserving event log [0x7e000, 0x86000)`. GRUB
/// allocates it below 4 GiB (32 KiB); AEM's own dump script reads it from
/// /dev/mem at that range, as this tool does.
public struct SlaunchEventLogRange: Sendable, Equatable {
    public var start: UInt64
    public var end: UInt64

    /// The words Xen's line starts with.
    public static let marker = "SLAUNCH: reserving event log"

    /// GRUB reserves 32 KiB; anything larger than this is not that log.
    public static let maximumSize: UInt64 = 1 << 20

    public init(start: UInt64, end: UInt64) {
        self.start = start
        self.end = end
    }

    /// The last reservation the console text reports (the console log can
    /// hold earlier boots' lines), nil when there is none or it is not a
    /// sane range.
    public static func parse(console text: String) -> SlaunchEventLogRange? {
        for line in text.split(whereSeparator: \.isNewline).reversed() {
            guard let found = line.range(of: marker) else { continue }
            let rest = line[found.upperBound...]
            let numbers = rest.split { !$0.isHexDigit && $0 != "x" && $0 != "X" }
                .filter { $0.lowercased().hasPrefix("0x") }
                .compactMap { UInt64($0.dropFirst(2), radix: 16) }
            guard numbers.count >= 2, numbers[0] < numbers[1], numbers[1] - numbers[0] <= maximumSize,
                numbers[1] <= 1 << 32
            else { return nil }
            return SlaunchEventLogRange(start: numbers[0], end: numbers[1])
        }
        return nil
    }
}
