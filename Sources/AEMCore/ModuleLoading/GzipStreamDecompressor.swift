import CIsal

/// gzip as GRUB's `gzio` reads a module: one gzip member, inflated by
/// Intel's ISA-L (twice zlib's speed on the machines dom0 runs on, and it
/// streams; see docs/performance.md), which also checks the header CRC,
/// the data CRC-32 and the size. Trailing bytes after the member are
/// accepted only when they are zero padding; a second member would be read
/// inconsistently by GRUB (it takes the size from the file's last four
/// bytes), so it is refused.
struct GzipStreamDecompressor: StreamDecompressor {

    private let path: String
    private let state: InflateStateBox
    private var ended = false

    init(path: String) throws(ModuleLoadError) {
        self.path = path
        guard let state = InflateStateBox() else {
            throw ModuleLoadError(path: path, reason: .decoderUnavailable(.gzip))
        }
        self.state = state
    }

    mutating func feed(_ input: UnsafeRawBufferPointer, into output: LoadedImageSink) throws(ModuleLoadError) {
        guard let base = input.baseAddress, input.count > 0 else { return }
        if ended {
            try Self.requireZeroPadding(input, path: path, compression: .gzip)
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
                state.pointer, &next, &available, space.baseAddress!.assumingMemoryBound(to: UInt8.self),
                UInt32(space.count),
                &produced, &finished)
            guard status == ISAL_DECOMP_OK else {
                throw ModuleLoadError(path: path, reason: .corrupt(.gzip, detail: Self.describe(status)))
            }
            try output.commit(Int(produced))
            if finished != 0 {
                ended = true
                try Self.requireZeroPadding(
                    UnsafeRawBufferPointer(start: next, count: Int(available)), path: path, compression: .gzip)
            } else if produced == 0 && available == before {
                // Neither input taken nor output given: nothing will change on a retry.
                throw ModuleLoadError(path: path, reason: .corrupt(.gzip, detail: nil))
            }
        }
    }

    mutating func finish() throws(ModuleLoadError) {
        guard ended else { throw ModuleLoadError(path: path, reason: .truncated(.gzip)) }
    }

    private static func describe(_ status: Int32) -> String {
        switch status {
        case ISAL_INCORRECT_CHECKSUM: return "a CRC or size check failed"
        case ISAL_INVALID_WRAPPER, ISAL_UNSUPPORTED_METHOD: return "in its header"
        default: return "ISA-L error \(status)"
        }
    }
}

/// Owns ISA-L's inflate state (85 KiB, on the heap) so that it is
/// released exactly once. Modules and the tboot file use it.
final class InflateStateBox {
    let pointer: UnsafeMutablePointer<inflate_state>

    init?() {
        guard let pointer = aem_isal_gzip_decoder() else { return nil }
        self.pointer = pointer
    }

    deinit { aem_isal_free(pointer) }
}
