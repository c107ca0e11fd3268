import Foundation

/// A Xen image as TrenchBoot's Xen is built for GRUB's `slaunch`: a 32-bit
/// x86 ELF (as `mkelf32` makes) with one PT_LOAD segment whose memory size
/// reaches past its file bytes (Xen's .bss), and an Intel TXT MLE header
/// near its start declaring the MLE as the whole image (start 0, end the
/// memory size) with no command-line area. Its content comes from `seed`,
/// so two seeds are two Xen versions. Gzip it as `/boot/xen-*.gz`.
public enum SyntheticXen {
    /// MLE_HDR_UUID as it lies in memory.
    static let mleHeaderUUID: [UInt8] = [
        0x5A, 0xAC, 0x82, 0x90, 0x6F, 0x47, 0xA7, 0x74, 0x0F, 0x5C, 0x55, 0xA2, 0xCB, 0x51, 0xB6, 0x42,
    ]
    /// Where the MLE header sits in the loaded image.
    public static let headerOffset = 0x40

    /// `commandLineArea` sets the header's command-line offsets (tboot's
    /// header has one; Xen's none): a hostile one claims gigabytes.
    public static func elf(
        seed: UInt8, size: Int = 48 * 1024, bss: Int = 16 * 1024, commandLineArea: (start: Int, end: Int) = (0, 0)
    ) -> [UInt8] {
        func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
        func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
        let segmentOffset = 0x100
        let address = 0x20_0000
        var segment = testBytes(size, seed: seed)
        var header = mleHeaderUUID
        // The entry point differs between versions, as Xen's does.
        header +=
            le32(52) + le32(0x0002_0002) + le32(0x1000 + Int(seed) * 0x10) + le32(0) + le32(0) + le32(size + bss)
            + le32(0x227) + le32(commandLineArea.start) + le32(commandLineArea.end)
        segment.replaceSubrange(headerOffset..<(headerOffset + header.count), with: header)

        var file = [0x7F, 0x45, 0x4C, 0x46, 1, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        file += le16(2) + le16(3) + le32(1) + le32(address + 0x1000) + le32(52) + le32(0) + le32(0)
        file += le16(52) + le16(32) + le16(1) + le16(40) + le16(0) + le16(0)
        file +=
            le32(1) + le32(segmentOffset) + le32(address) + le32(address) + le32(size) + le32(size + bss) + le32(7)
            + le32(0x1000)
        file += [UInt8](repeating: 0, count: segmentOffset - file.count)
        return file + segment
    }
}
