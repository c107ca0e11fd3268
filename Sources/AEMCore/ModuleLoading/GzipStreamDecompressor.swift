import CIsal

/// gzip as GRUB's `gzio` reads a module: one gzip member, inflated by
/// Intel's ISA-L (twice zlib's speed on the machines dom0 runs on, and it
/// streams; see docs/performance.md), which also checks the header CRC,
/// the data CRC-32 and the size. Trailing bytes after the member are
/// accepted only when they are zero padding; a second member would be read
/// inconsistently by GRUB (it takes the size from the file's last four
/// bytes), so it is refused.
struct GzipStreamDecompressor: StreamDecompressor {
    private static let trailingData = "data follows the gzip stream (a multi-member gzip file); GRUB would not load it as one stream"

    private let path: String
    private let state: InflateStateBox
    private var ended = false

    init(path: String) throws {
        self.path = path
        guard let state = InflateStateBox() else {
            throw ModuleLoadError(path: path, reason: "no memory for a gzip decoder")
        }
        self.state = state
    }

    mutating func feed(_ input: UnsafeRawBufferPointer, into output: LoadedImageSink) throws {
        guard let base = input.baseAddress, input.count > 0 else { return }
        if ended {
            try Self.requireZeroPadding(input, path: path, reason: Self.trailingData)
            return
        }
        var next: UnsafePointer<UInt8>? = base.assumingMemoryBound(to: UInt8.self)
        var available = UInt32(input.count)
        while available > 0 && !ended {
            let space = output.space()
            let before = available
            var produced: UInt32 = 0
            var finished: Int32 = 0
            let status = aem_isal_inflate(
                state.pointer, &next, &available, space.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt32(space.count),
                &produced, &finished)
            guard status == ISAL_DECOMP_OK else { throw ModuleLoadError(path: path, reason: Self.describe(status)) }
            try output.commit(Int(produced))
            if finished != 0 {
                ended = true
                try Self.requireZeroPadding(UnsafeRawBufferPointer(start: next, count: Int(available)), path: path, reason: Self.trailingData)
            } else if produced == 0 && available == before {
                // Neither input taken nor output given: nothing will change on a retry.
                throw ModuleLoadError(path: path, reason: "the gzip data is corrupt")
            }
        }
    }

    mutating func finish() throws {
        guard ended else { throw ModuleLoadError(path: path, reason: "the gzip stream is truncated") }
    }

    private static func describe(_ status: Int32) -> String {
        switch status {
        case ISAL_INCORRECT_CHECKSUM: return "the gzip data is corrupt (a CRC or size check failed)"
        case ISAL_INVALID_WRAPPER, ISAL_UNSUPPORTED_METHOD: return "the gzip header is corrupt"
        default: return "the gzip data is corrupt (ISA-L error \(status))"
        }
    }
}

/// Owns ISA-L's inflate state (85 KiB, on the heap) so that it is
/// released exactly once.
private final class InflateStateBox {
    let pointer: UnsafeMutablePointer<inflate_state>

    init?() {
        guard let pointer = aem_isal_gzip_decoder() else { return nil }
        self.pointer = pointer
    }

    deinit { aem_isal_free(pointer) }
}
