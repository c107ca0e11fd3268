/// Loads boot modules the way GRUB does (transparent gzip, xz and lzop
/// decompression unless `--nounzip`) and hashes the result in every bank
/// asked for, reading each file once.
public struct ModuleImageLoader: Sendable {
    public var banks: [HashAlgorithm]
    /// A decompression bomb is refused: tboot and Xen load modules into RAM
    /// below 4 GiB, so nothing real comes near this.
    public var maximumLoadedSize: Int
    public var chunkSize: Int
    /// What every byte read and decompressed is charged to.
    public var budget: WorkBudget

    public init(
        banks: [HashAlgorithm], maximumLoadedSize: Int = 2 << 30, chunkSize: Int = 1 << 20, budget: WorkBudget
    ) {
        self.banks = banks
        self.maximumLoadedSize = maximumLoadedSize
        self.chunkSize = chunkSize
        self.budget = budget
    }

    /// Reports bytes of the stored file read so far and its size.
    public typealias Progress = @Sendable (_ done: Int, _ total: Int) -> Void

    /// Loads `file` (opened through the boot partition, `BootPartition`)
    /// as GRUB loads the module at `grubPath`, hashing the image in every bank.
    public func load(_ file: OpenedFile, grubPath: String, noUnzip: Bool, progress: Progress? = nil)
        throws(ModuleLoadError) -> LoadedModuleImage
    {
        try load(file, grubPath: grubPath, noUnzip: noUnzip, decompress: true, progress: progress)
    }

    /// Reads the stored file once for its SHA-256 only, without
    /// decompressing it: enough to confirm the file is the one a boot record
    /// proved, whose logged measurement is then reused. The image has no
    /// digests (`imageDigests` is empty) and its loaded size is not known.
    public func fingerprint(_ file: OpenedFile, grubPath: String, noUnzip: Bool, progress: Progress? = nil)
        throws(ModuleLoadError) -> LoadedModuleImage
    {
        try load(file, grubPath: grubPath, noUnzip: noUnzip, decompress: false, progress: progress)
    }

    private func load(
        _ file: OpenedFile, grubPath: String, noUnzip: Bool, decompress: Bool, progress: Progress?
    ) throws(ModuleLoadError) -> LoadedModuleImage {
        // Positioned reads: the same opened file can be read again (a
        // fingerprint, then a full load) without looking its path up again.
        var offset = 0
        func read(into buffer: UnsafeMutableRawBufferPointer) throws(ModuleLoadError) -> Int {
            let count: Int
            do {
                count = try file.read(at: offset, into: buffer)
            } catch {
                throw ModuleLoadError(path: grubPath, reason: .access(error))
            }
            offset += count
            return count
        }

        let compression = noUnzip ? .raw : try Self.compression(of: file, grubPath: grubPath)

        // A raw module is its own image: one hasher gives both the image's
        // banks and the file's SHA-256. Otherwise the stored file is hashed
        // as read and the decompressed image as it is produced.
        // Without decompression only the stored file's SHA-256 is wanted.
        let storedOnly = compression == .raw || !decompress
        let imageBanks = decompress ? banks : []
        let imageHasher = MultiHasher(storedOnly ? imageBanks + [.sha256] : imageBanks)
        let fileHasher = MultiHasher([.sha256])
        var decompressor = try Self.decompressor(for: storedOnly ? .raw : compression, path: grubPath)

        var fileSize = 0
        let totalSize = file.size
        let (loadedSize, head) = try HashingPipeline.run(hashers: [imageHasher, fileHasher], bufferSize: chunkSize) {
            pipeline throws(ModuleLoadError) in
            let sink = LoadedImageSink(
                pipeline: pipeline, hasher: 0, path: grubPath, limit: maximumLoadedSize, budget: budget)
            while true {
                if decompressor == nil {
                    // Read straight into the image's hashing buffers.
                    let count = try read(into: sink.space())
                    if count == 0 { break }
                    fileSize += count
                    try sink.commit(count)
                } else {
                    let input = pipeline.acquire()
                    let count: Int
                    do throws(ModuleLoadError) {
                        count = try read(into: input.bytes)
                    } catch {
                        pipeline.release(input)
                        throw error
                    }
                    if count == 0 {
                        pipeline.release(input)
                        break
                    }
                    fileSize += count
                    do throws(WorkBudgetExceeded) {
                        try budget.spend(count, on: grubPath)
                    } catch {
                        pipeline.release(input)
                        throw ModuleLoadError(path: grubPath, reason: .budgetSpent(error))
                    }
                    try decompressor!.feed(UnsafeRawBufferPointer(rebasing: input.bytes[0..<count]), into: sink)
                    pipeline.submit(input, count: count, to: 1)
                }
                progress?(fileSize, totalSize)
            }
            try decompressor?.finish()
            sink.flush()
            return (sink.loadedSize, sink.head)
        }

        let imageDigests = imageHasher.finalize()
        return LoadedModuleImage(
            grubPath: grubPath, displayPath: file.path, partitionPath: file.pathInRoot, compression: compression,
            loadedSize: decompress ? loadedSize : nil,
            imageDigests: imageDigests.filter { imageBanks.contains($0.key) },
            fileDigest: storedOnly ? imageDigests[.sha256]! : fileHasher.finalize()[.sha256]!,
            fileSize: fileSize,
            isAuthenticatedCodeModule: decompress
                && TXTModuleKinds.isAuthenticatedCodeModule(head: head, size: loadedSize),
            isLaunchControlPolicy: decompress && TXTModuleKinds.isLaunchControlPolicy(head: head))
    }
}

extension ModuleImageLoader {
    /// The magic decides the decompressor before the first chunk is read.
    static func compression(of file: OpenedFile, grubPath: String) throws(ModuleLoadError) -> ModuleCompression {
        let magic = UnsafeMutableRawBufferPointer.allocate(byteCount: 16, alignment: 1)
        defer { magic.deallocate() }
        do {
            let count = try file.read(at: 0, into: magic)
            return ModuleCompression.detect(Array(magic.prefix(count)))
        } catch {
            throw ModuleLoadError(path: grubPath, reason: .access(error))
        }
    }

    /// The streaming decoder GRUB's loader would use; nil for a raw image.
    static func decompressor(for compression: ModuleCompression, path: String) throws(ModuleLoadError)
        -> (any StreamDecompressor)?
    {
        switch compression {
        case .gzip: return try GzipStreamDecompressor(path: path)
        case .xz: return try XZStreamDecompressor(path: path)
        case .lzop: return try LzopStreamDecompressor(path: path)
        case .raw: return nil
        }
    }
}

/// Recognizes the TXT modules tboot removes before measuring.
enum TXTModuleKinds {
    /// An ACM header: module type 2 (chipset), vendor 0x8086 at offset 16,
    /// and a size (in dwords, offset 24) that fits in the module.
    static func isAuthenticatedCodeModule(head: [UInt8], size: Int) -> Bool {
        guard head.count >= 32 else { return false }
        func u16(_ at: Int) -> UInt32 { UInt32(head[at]) | UInt32(head[at + 1]) << 8 }
        func u32(_ at: Int) -> UInt32 { u16(at) | u16(at + 2) << 16 }
        return u16(0) == 2 && u32(16) == 0x8086 && Int(u32(24)) * 4 <= size && u32(24) > 0
    }

    static let policyDataSignature = Array("Intel(R) TXT LCP_POLICY_DATA".utf8)

    static func isLaunchControlPolicy(head: [UInt8]) -> Bool {
        head.starts(with: policyDataSignature)
    }
}
