import CZlib

/// gzip through zlib's inflate, as GRUB's `gzio` reads a module: one gzip
/// member. Trailing bytes after it are accepted only when they are zero
/// padding; a second member would be read inconsistently by GRUB (it takes
/// the size from the file's last four bytes), so it is refused.
struct GzipStreamDecompressor: StreamDecompressor {
    private let path: String
    private let state: ZStreamBox
    private var ended = false
    private var buffer = [UInt8](repeating: 0, count: 1 << 18)

    init(path: String) throws {
        self.path = path
        state = ZStreamBox()
        // 16 + 15: gzip wrapper only, 32 KiB window.
        guard aem_inflate_init2(&state.stream, 16 + 15) == Z_OK else {
            throw ModuleLoadError(path: path, reason: "zlib could not start a gzip decoder")
        }
        state.initialized = true
    }

    mutating func feed(_ input: UnsafeRawBufferPointer, output: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let base = input.baseAddress, input.count > 0 else { return }
        if ended {
            guard input.allSatisfy({ $0 == 0 }) else {
                throw ModuleLoadError(path: path, reason: "data follows the gzip stream (a multi-member gzip file); GRUB would not load it as one stream")
            }
            return
        }
        state.stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
        state.stream.avail_in = UInt32(input.count)
        while state.stream.avail_in > 0 && !ended {
            let (status, produced) = buffer.withUnsafeMutableBytes { out -> (Int32, Int) in
                state.stream.next_out = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
                state.stream.avail_out = UInt32(out.count)
                let status = inflate(&state.stream, Z_NO_FLUSH)
                return (status, out.count - Int(state.stream.avail_out))
            }
            if produced > 0 {
                try buffer.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                    try output(UnsafeRawBufferPointer(rebasing: bytes[0..<produced]))
                }
            }
            switch status {
            case Z_OK, Z_BUF_ERROR:
                if status == Z_BUF_ERROR && produced == 0 && state.stream.avail_in > 0 {
                    throw ModuleLoadError(path: path, reason: "the gzip data is corrupt")
                }
            case Z_STREAM_END:
                ended = true
                let rest = UnsafeRawBufferPointer(start: state.stream.next_in, count: Int(state.stream.avail_in))
                guard rest.allSatisfy({ $0 == 0 }) else {
                    throw ModuleLoadError(path: path, reason: "data follows the gzip stream (a multi-member gzip file); GRUB would not load it as one stream")
                }
            default:
                let message = state.stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw ModuleLoadError(path: path, reason: "the gzip data is corrupt (\(message))")
            }
        }
    }

    mutating func finish() throws {
        guard ended else { throw ModuleLoadError(path: path, reason: "the gzip stream is truncated") }
    }
}

/// Owns zlib's stream state so that it is released exactly once.
private final class ZStreamBox {
    var stream = z_stream()
    var initialized = false

    deinit {
        if initialized { inflateEnd(&stream) }
    }
}
