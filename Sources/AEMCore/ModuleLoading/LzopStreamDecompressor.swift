import CLzo
import CZlib

/// lzop files, as GRUB's `lzopio` reads them: the lzop header, then blocks
/// of LZO1X data (or stored data) each with its sizes and checksums, ended
/// by a zero-length block. liblzo2 decompresses each block; the container
/// is read here because no library reads it.
struct LzopStreamDecompressor: StreamDecompressor {
    private enum Stage {
        case header
        case blocks
        case ended
    }

    private static let flagAdler32Decompressed: UInt32 = 0x0001
    private static let flagAdler32Compressed: UInt32 = 0x0002
    private static let flagExtraField: UInt32 = 0x0040
    private static let flagCRC32Decompressed: UInt32 = 0x0100
    private static let flagCRC32Compressed: UInt32 = 0x0200
    private static let flagFilter: UInt32 = 0x0800
    private static let flagHeaderCRC32: UInt32 = 0x1000
    /// lzop writes 256 KiB blocks; 64 MiB leaves room without inviting abuse.
    private static let maximumBlock = 64 << 20

    private let path: String
    private var stage = Stage.header
    private var pending = [UInt8]()
    private var flags: UInt32 = 0

    init(path: String) throws(ModuleLoadError) {
        self.path = path
        guard aem_lzo_init() == LZO_E_OK else { throw ModuleLoadError(path: path, reason: .decoderUnavailable(.lzop)) }
    }

    mutating func feed(_ input: UnsafeRawBufferPointer, into output: LoadedImageSink) throws(ModuleLoadError) {
        if stage == .ended {
            try Self.requireZeroPadding(input, path: path, compression: .lzop)
            return
        }
        pending += input
        var consumed = 0
        defer { pending.removeFirst(consumed) }
        while true {
            switch stage {
            case .header:
                guard let used = try parseHeader(from: consumed) else { return }
                consumed += used
                stage = .blocks
            case .blocks:
                guard let used = try parseBlock(from: consumed, into: output) else { return }
                consumed += used
            case .ended:
                try Self.requireZeroPadding(pending[consumed...], path: path, compression: .lzop)
                consumed = pending.count
                return
            }
        }
    }

    mutating func finish() throws(ModuleLoadError) {
        guard stage == .ended else { throw ModuleLoadError(path: path, reason: .truncated(.lzop)) }
    }

    private mutating func parseHeader(from start: Int) throws(ModuleLoadError) -> Int? {
        var cursor = BigEndianCursor(pending, offset: start)
        guard cursor.skip(ModuleCompression.lzopMagic.count), let version = cursor.u16(), cursor.u16() != nil else {
            return nil
        }
        if version >= 0x0940 { guard cursor.u16() != nil else { return nil } }
        guard let method = cursor.u8() else { return nil }
        guard (1...3).contains(method) else {
            throw ModuleLoadError(path: path, reason: .unsupportedLzopMethod(method))
        }
        if version >= 0x0940 { guard cursor.u8() != nil else { return nil } }
        guard let flags = cursor.u32() else { return nil }
        if flags & Self.flagFilter != 0 { guard cursor.u32() != nil else { return nil } }
        guard cursor.u32() != nil, cursor.u32() != nil else { return nil }  // mode, mtime low
        if version >= 0x0940 { guard cursor.u32() != nil else { return nil } }
        guard let nameLength = cursor.u8(), cursor.skip(Int(nameLength)), cursor.u32() != nil else { return nil }
        if flags & Self.flagExtraField != 0 {
            guard let extra = cursor.u32(), extra <= 1 << 20, cursor.skip(Int(extra)), cursor.u32() != nil else {
                return nil
            }
        }
        self.flags = flags
        return cursor.offset - start
    }

    private mutating func parseBlock(from start: Int, into output: LoadedImageSink) throws(ModuleLoadError) -> Int? {
        var cursor = BigEndianCursor(pending, offset: start)
        guard let decompressedSize = cursor.u32().map(Int.init) else { return nil }
        if decompressedSize == 0 {
            stage = .ended
            return cursor.offset - start
        }
        guard let compressedSize = cursor.u32().map(Int.init) else { return nil }
        guard decompressedSize <= Self.maximumBlock, compressedSize <= decompressedSize else {
            throw ModuleLoadError(
                path: path,
                reason: .corrupt(.lzop, detail: "a block declares \(compressedSize) bytes for \(decompressedSize)"))
        }
        var expectedAdler: UInt32?
        var expectedCRC: UInt32?
        if flags & Self.flagAdler32Decompressed != 0 {
            guard let value = cursor.u32() else { return nil }
            expectedAdler = value
        }
        if flags & Self.flagCRC32Decompressed != 0 {
            guard let value = cursor.u32() else { return nil }
            expectedCRC = value
        }
        if compressedSize < decompressedSize {
            if flags & Self.flagAdler32Compressed != 0 { guard cursor.u32() != nil else { return nil } }
            if flags & Self.flagCRC32Compressed != 0 { guard cursor.u32() != nil else { return nil } }
        }
        guard cursor.offset + compressedSize <= pending.count else { return nil }
        let dataStart = cursor.offset

        let data = dataStart..<(dataStart + compressedSize)
        if compressedSize == decompressedSize {
            // A stored block: copied into the sink, as it must reach the hashing buffers.
            // Result carries the typed error out of the untyped-rethrowing closure.
            try pending.withUnsafeBytes { (all: UnsafeRawBufferPointer) in
                Result { () throws(ModuleLoadError) in
                    let block = UnsafeRawBufferPointer(rebasing: all[data])
                    try verify(block, adler32: expectedAdler, crc32: expectedCRC)
                    try output.write(block)
                }
            }.get()
        } else if let space = output.space(atLeast: decompressedSize) {
            // The usual case (lzop writes 256 KiB blocks): decompressed in place.
            let block = UnsafeMutableRawBufferPointer(rebasing: space[0..<decompressedSize])
            try pending.withUnsafeBytes { all in
                Result { () throws(ModuleLoadError) in
                    try decompress(UnsafeRawBufferPointer(rebasing: all[data]), into: block)
                }
            }.get()
            try verify(UnsafeRawBufferPointer(block), adler32: expectedAdler, crc32: expectedCRC)
            try output.commit(decompressedSize)
        } else {
            // A block larger than the sink's buffers (rare: lzop allows 64 MiB).
            var largeBlock = [UInt8](repeating: 0, count: decompressedSize)
            try largeBlock.withUnsafeMutableBytes { (all: UnsafeMutableRawBufferPointer) in
                Result { () throws(ModuleLoadError) in
                    let block = UnsafeMutableRawBufferPointer(rebasing: all[0..<decompressedSize])
                    try pending.withUnsafeBytes { compressed in
                        Result { () throws(ModuleLoadError) in
                            try decompress(UnsafeRawBufferPointer(rebasing: compressed[data]), into: block)
                        }
                    }.get()
                    try verify(UnsafeRawBufferPointer(block), adler32: expectedAdler, crc32: expectedCRC)
                    try output.write(UnsafeRawBufferPointer(block))
                }
            }.get()
        }
        return dataStart + compressedSize - start
    }

    private func decompress(_ data: UnsafeRawBufferPointer, into block: UnsafeMutableRawBufferPointer)
        throws(ModuleLoadError)
    {
        var produced = lzo_uint(block.count)
        let status = lzo1x_decompress_safe(
            data.baseAddress!.assumingMemoryBound(to: UInt8.self), lzo_uint(data.count),
            block.baseAddress!.assumingMemoryBound(to: UInt8.self), &produced, nil)
        guard status == LZO_E_OK, Int(produced) == block.count else {
            throw ModuleLoadError(path: path, reason: .corrupt(.lzop, detail: "liblzo2 error \(status)"))
        }
    }

    private func verify(_ block: UnsafeRawBufferPointer, adler32 expectedAdler: UInt32?, crc32 expectedCRC: UInt32?)
        throws(ModuleLoadError)
    {
        let bytes = block.baseAddress!.assumingMemoryBound(to: UInt8.self)
        if let expectedAdler, UInt32(adler32(1, bytes, UInt32(block.count))) != expectedAdler {
            throw ModuleLoadError(path: path, reason: .corrupt(.lzop, detail: "a block fails its Adler-32 check"))
        }
        if let expectedCRC, UInt32(crc32(0, bytes, UInt32(block.count))) != expectedCRC {
            throw ModuleLoadError(path: path, reason: .corrupt(.lzop, detail: "a block fails its CRC-32 check"))
        }
    }
}
