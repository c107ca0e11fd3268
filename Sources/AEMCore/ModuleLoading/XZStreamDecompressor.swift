import CLzma

/// xz through liblzma, one stream, as GRUB's `xzio` reads a module.
/// Stream padding (zeros) after it is allowed, further data is not.
struct XZStreamDecompressor: StreamDecompressor {
    /// The decoder memory a module may need: the dictionary its header
    /// declares (liblzma allocates it before any data is decoded, so a
    /// header claiming 768 MiB would cost 768 MiB) plus about a MiB. xz's
    /// largest preset (`-9`, `-9e`) uses a 64 MiB dictionary and 65 MiB to
    /// decode (xz(1)); dracut compresses initramfs images with
    /// `--lzma2=dict=1MiB`. A module that needs more is refused, well
    /// inside the 256 MB a hostile input may cost.
    static let memoryLimit: UInt64 = 72 << 20

    private let path: String
    private let state: LzmaStreamBox
    private var ended = false

    init(path: String) throws(ModuleLoadError) {
        self.path = path
        state = LzmaStreamBox()
        guard lzma_stream_decoder(&state.stream, Self.memoryLimit, 0) == LZMA_OK else {
            throw ModuleLoadError(path: path, reason: .decoderUnavailable(.xz))
        }
        state.initialized = true
    }

    mutating func feed(_ input: UnsafeRawBufferPointer, into output: LoadedImageSink) throws(ModuleLoadError) {
        guard let base = input.baseAddress, input.count > 0 else { return }
        if ended {
            try Self.requireZeroPadding(input, path: path, compression: .xz)
            return
        }
        state.stream.next_in = base.assumingMemoryBound(to: UInt8.self)
        state.stream.avail_in = input.count
        while state.stream.avail_in > 0 && !ended {
            let space = output.space()
            state.stream.next_out = space.baseAddress!.assumingMemoryBound(to: UInt8.self)
            state.stream.avail_out = space.count
            let status = lzma_code(&state.stream, LZMA_RUN)
            try output.commit(space.count - state.stream.avail_out)
            switch status {
            case LZMA_OK:
                break
            case LZMA_STREAM_END:
                ended = true
                let rest = UnsafeRawBufferPointer(start: state.stream.next_in, count: state.stream.avail_in)
                try Self.requireZeroPadding(rest, path: path, compression: .xz)
            case LZMA_MEMLIMIT_ERROR, LZMA_MEM_ERROR:
                throw ModuleLoadError(
                    path: path,
                    reason: .corrupt(
                        .xz,
                        detail: "its header declares a dictionary that needs more than \(Self.memoryLimit >> 20) MiB "
                            + "to decode (xz -9 needs 65 MiB); refused before allocating it"))
            default:
                throw ModuleLoadError(path: path, reason: .corrupt(.xz, detail: "liblzma error \(status.rawValue)"))
            }
        }
    }

    mutating func finish() throws(ModuleLoadError) {
        guard ended else { throw ModuleLoadError(path: path, reason: .truncated(.xz)) }
    }
}

private final class LzmaStreamBox {
    var stream = aem_lzma_stream_init()
    var initialized = false

    deinit {
        if initialized { lzma_end(&stream) }
    }
}
