import CIsal

/// SINIT's measurement of tboot as the measured launch environment (the
/// MLE): the digest of event 0x404 (TXT_MLE_HASH), which a tboot update
/// changes. Computed as tboot's own `lcp2_mlehash` computes it, which the
/// tests use as the oracle: the file gunzipped; the ELF's PT_LOAD segments
/// laid end to end from offset 0 (each its file bytes, then zeros up to its
/// memory size); the MLE header found by its UUID at a 16-byte stride;
/// tboot's command line copied into the header's command-line area (tboot
/// copies it there before SENTER, so it is measured); then the bytes from
/// `mle_start_off` to `mle_end_off` hashed in each bank.
///
/// The file is attacker-controlled: every size and offset is bounded.
public enum MLEMeasurement {
    /// MLE_HDR_UUID as it lies in memory (tboot's include/mle.h).
    static let headerUUID: [UInt8] = [
        0x5A, 0xAC, 0x82, 0x90, 0x6F, 0x47, 0xA7, 0x74, 0x0F, 0x5C, 0x55, 0xA2, 0xCB, 0x51, 0xB6, 0x42,
    ]
    /// Bounds for a hostile file: tboot is well under a megabyte stored, a
    /// few dozen unpacked (mostly its .bss), and its MLE a few hundred KiB;
    /// its command-line area is 512 bytes (tboot's `CMDLINE_SIZE`).
    public static let maximumFileSize = 64 << 20
    public static let maximumMLESize = 16 << 20
    public static let maximumCommandLineArea = 4096

    /// What measuring a file of `size` bytes costs at most, in bytes read
    /// and decompressed (`WorkBudget`): the file, its image unpacked, and
    /// the MLE hashed.
    public static func maximumCost(ofFile size: Int) -> Int { size + maximumFileSize + maximumMLESize }

    /// What one pass over an MLE file gives: its digest per bank, and the
    /// MLE header's `entry_point` (offset 24), which GRUB hands to AMD's SKL
    /// as the DLME entry and the SKL measures as 4 little-endian bytes.
    public struct Measured: Sendable {
        public var digests: [HashAlgorithm: Digest]
        public var entryPoint: UInt32
    }

    /// The MLE digest in each bank, of the tboot file's bytes as stored.
    public static func digests(
        ofFile stored: [UInt8], commandLine: String, banks: [HashAlgorithm]
    ) throws(MLEMeasurementError) -> [HashAlgorithm: Digest] {
        try measure(ofFile: stored, commandLine: commandLine, banks: banks).digests
    }

    /// The MLE digests and entry point of the file's bytes as stored, from
    /// one decompression and one parse. The MLE range is streamed into the
    /// hashers from the segments' file bytes and zero runs, never copied,
    /// with the command line laid into its area on the way.
    public static func measure(
        ofFile stored: [UInt8], commandLine: String, banks: [HashAlgorithm]
    ) throws(MLEMeasurementError) -> Measured {
        let image = try LoadedImage(elf: try unzipIfNeeded(stored))
        guard let header = image.headerOffset() else { throw .noMLEHeader }
        let fields = image.bytes(header..<(header + 52))
        let mleStart = Int(try readUInt32(fields, 32))
        let mleEnd = Int(try readUInt32(fields, 36))
        let commandStart = Int(try readUInt32(fields, 44))
        let commandEnd = Int(try readUInt32(fields, 48))
        guard mleStart < mleEnd, mleEnd <= image.span else {
            throw .outOfBounds("MLE \(mleStart)..<\(mleEnd) in an image of \(image.span) bytes")
        }
        guard mleEnd - mleStart <= maximumMLESize else { throw .tooLarge(what: "the MLE", limit: maximumMLESize) }

        // tboot copies at most the area less its terminating NUL into the
        // area, which must lie inside the MLE (a header claiming gigabytes
        // is refused, not allocated).
        var area: Range<Int>?
        var areaBytes = [UInt8]()
        if commandEnd > commandStart {
            let claimed = commandStart..<commandEnd
            guard claimed.count <= maximumCommandLineArea else {
                throw .tooLarge(what: "the MLE command-line area", limit: maximumCommandLineArea)
            }
            guard claimed.clamped(to: mleStart..<mleEnd) == claimed else {
                throw .outOfBounds("command-line area \(commandStart)..<\(commandEnd) outside the MLE")
            }
            let line = Array(commandLine.utf8)
            guard line.count < claimed.count else { throw .commandLineTooLong(limit: claimed.count - 1) }
            area = claimed
            areaBytes = line + [UInt8](repeating: 0, count: claimed.count - line.count)
        }

        let hasher = MultiHasher(banks.filter(\.isAvailable))
        if let area {
            image.stream(mleStart..<area.lowerBound, into: hasher)
            hasher.update(areaBytes)
            image.stream(area.upperBound..<mleEnd, into: hasher)
        } else {
            image.stream(mleStart..<mleEnd, into: hasher)
        }
        return Measured(digests: hasher.finalize(), entryPoint: try readUInt32(fields, 24))
    }

    /// Gunzips (bounded; ISA-L, as modules are) when the file starts with
    /// the gzip magic, into pages that keep only what is not zeros.
    static func unzipIfNeeded(_ stored: [UInt8]) throws(MLEMeasurementError) -> SparseBytes {
        guard stored.count <= maximumFileSize else { throw .tooLarge(what: "the tboot file", limit: maximumFileSize) }
        guard stored.starts(with: [0x1F, 0x8B]) else { return SparseBytes(stored) }
        guard let state = InflateStateBox() else { throw .notGzipOrELF("ISA-L could not start") }
        var output = SparseBytes()
        var chunk = [UInt8](repeating: 0, count: SparseBytes.pageSize)
        var status = ISAL_DECOMP_OK
        var finished: Int32 = 0
        stored.withUnsafeBufferPointer { source in
            var next = source.baseAddress
            var available = UInt32(source.count)
            while status == ISAL_DECOMP_OK, finished == 0, output.count <= maximumFileSize {
                var produced: UInt32 = 0
                let before = available
                chunk.withUnsafeMutableBufferPointer { target in
                    status = aem_isal_inflate(
                        state.pointer, &next, &available, target.baseAddress, UInt32(target.count), &produced, &finished
                    )
                    output.append(
                        UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: target[0..<Int(produced)])))
                }
                // Neither input taken nor output given: the stream is cut short
                // (or corrupt); a retry would change nothing.
                if produced == 0, finished == 0, available == before { break }
            }
        }
        guard output.count <= maximumFileSize else {
            throw .tooLarge(what: "the gunzipped tboot", limit: maximumFileSize)
        }
        guard status == ISAL_DECOMP_OK, finished != 0 else {
            throw .notGzipOrELF("gzip data is corrupt or cut short (ISA-L \(status))")
        }
        return output
    }

    /// The PT_LOAD segments laid end to end from offset 0, as
    /// `lcp2_mlehash` expands them (it takes the image's lowest address as
    /// 0 and its span up to the highest segment end), read through a map
    /// rather than copied: outside a segment's file bytes it is zeros.
    struct LoadedImage {
        struct Segment {
            var start: Int
            var fileOffset: Int
            var fileSize: Int
        }

        let elf: SparseBytes
        private(set) var segments = [Segment]()
        private(set) var span = 0

        init(elf: SparseBytes) throws(MLEMeasurementError) {
            self.elf = elf
            guard elf.count >= 52, elf.copy(0..<4) == [0x7F, 0x45, 0x4C, 0x46] else {
                throw .notGzipOrELF("no ELF magic")
            }
            guard elf[4] == 1, elf[5] == 1 else { throw .notTbootELF("not a 32-bit little-endian ELF") }
            let type = try readUInt16(elf, 16)
            let machine = try readUInt16(elf, 18)
            let version = try readUInt32(elf, 20)
            guard type == 2, machine == 3, version == 1 else {
                throw .notTbootELF(
                    "type \(type), machine \(machine), version \(version); tboot is an executable (2) "
                        + "for i386 (3), version 1"
                )
            }
            let table = Int(try readUInt32(elf, 28))
            let entrySize = Int(try readUInt16(elf, 42))
            let count = Int(try readUInt16(elf, 44))
            guard entrySize >= 32 else { throw .notTbootELF("program header entries of \(entrySize) bytes") }
            var position = 0
            for index in 0..<count {
                let at = table + index * entrySize
                guard try readUInt32(elf, at) == 1 else { continue }  // PT_LOAD
                let offset = Int(try readUInt32(elf, at + 4))
                let physical = Int(try readUInt32(elf, at + 12))
                let fileSize = Int(try readUInt32(elf, at + 16))
                let memorySize = Int(try readUInt32(elf, at + 20))
                guard fileSize <= memorySize, offset + fileSize <= elf.count, physical + memorySize <= 1 << 32 else {
                    throw .outOfBounds(
                        "segment \(index): \(fileSize) file bytes at \(offset) for \(memorySize) in memory")
                }
                span = max(span, physical + memorySize)
                segments.append(Segment(start: position, fileOffset: offset, fileSize: fileSize))
                position += memorySize
            }
            guard span > 0 else { throw .notTbootELF("no loadable segment") }
            guard position <= span else { throw .outOfBounds("the segments' memory sizes exceed the image span") }
        }

        /// The image's bytes in `range` (which must lie inside the span).
        func bytes(_ range: Range<Int>) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: range.count)
            for segment in segments {
                let overlap = range.clamped(to: segment.start..<(segment.start + segment.fileSize))
                guard !overlap.isEmpty else { continue }
                let from = segment.fileOffset + overlap.lowerBound - segment.start
                out.replaceSubrange(
                    (overlap.lowerBound - range.lowerBound)..<(overlap.upperBound - range.lowerBound),
                    with: elf.copy(from..<(from + overlap.count)))
            }
            return out
        }

        /// Feeds the image's bytes in `range` (inside the span) to
        /// `hasher`: the segments' file bytes in place, the gaps as zeros
        /// from one small buffer.
        func stream(_ range: Range<Int>, into hasher: MultiHasher) {
            var position = range.lowerBound
            for segment in segments.sorted(by: { $0.start < $1.start }) {
                let overlap = range.clamped(to: segment.start..<(segment.start + segment.fileSize))
                guard !overlap.isEmpty, overlap.lowerBound >= position else { continue }
                Self.zeros(overlap.lowerBound - position, into: hasher)
                let from = segment.fileOffset + overlap.lowerBound - segment.start
                elf.forEachRun(in: from..<(from + overlap.count)) {
                    hasher.update($0)
                } zeros: {
                    Self.zeros($0, into: hasher)
                }
                position = overlap.upperBound
            }
            Self.zeros(range.upperBound - position, into: hasher)
        }

        private static let zeroChunk = [UInt8](repeating: 0, count: 1 << 16)

        private static func zeros(_ count: Int, into hasher: MultiHasher) {
            var left = count
            zeroChunk.withUnsafeBytes { chunk in
                while left > 0 {
                    let take = min(left, chunk.count)
                    hasher.update(UnsafeRawBufferPointer(rebasing: chunk[0..<take]))
                    left -= take
                }
            }
        }

        /// The MLE header's offset: its UUID at a 16-byte boundary, with
        /// room for its fields. Zeros cannot hold it: only file bytes are searched.
        func headerOffset() -> Int? {
            for segment in segments {
                var offset = (segment.start + 15) / 16 * 16
                while offset + 16 <= segment.start + segment.fileSize {
                    let at = segment.fileOffset + offset - segment.start
                    // A page of zeros cannot hold the UUID's first byte.
                    if elf.isStored(at), (0..<16).allSatisfy({ elf[at + $0] == headerUUID[$0] }), offset + 52 <= span {
                        return offset
                    }
                    offset += 16
                }
            }
            return nil
        }
    }

    private static func readUInt32(_ bytes: SparseBytes, _ at: Int) throws(MLEMeasurementError) -> UInt32 {
        guard at >= 0, at + 4 <= bytes.count else {
            throw .outOfBounds("a field at \(at) past the end (\(bytes.count) bytes)")
        }
        return try readUInt32(bytes.copy(at..<(at + 4)), 0)
    }

    private static func readUInt16(_ bytes: SparseBytes, _ at: Int) throws(MLEMeasurementError) -> UInt16 {
        guard at >= 0, at + 2 <= bytes.count else {
            throw .outOfBounds("a field at \(at) past the end (\(bytes.count) bytes)")
        }
        return try readUInt16(bytes.copy(at..<(at + 2)), 0)
    }

    private static func readUInt32(_ bytes: [UInt8], _ at: Int) throws(MLEMeasurementError) -> UInt32 {
        guard at >= 0, at + 4 <= bytes.count else {
            throw .outOfBounds("a field at \(at) past the end (\(bytes.count) bytes)")
        }
        return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3])
            << 24
    }

    private static func readUInt16(_ bytes: [UInt8], _ at: Int) throws(MLEMeasurementError) -> UInt16 {
        guard at >= 0, at + 2 <= bytes.count else {
            throw .outOfBounds("a field at \(at) past the end (\(bytes.count) bytes)")
        }
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }
}
