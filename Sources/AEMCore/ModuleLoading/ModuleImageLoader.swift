import Foundation

/// Loads boot modules the way GRUB does (transparent gzip, xz and lzop
/// decompression unless `--nounzip`) and hashes the result in every bank
/// asked for, reading each file once.
public struct ModuleImageLoader: Sendable {
    public var banks: [HashAlgorithm]
    /// A decompression bomb is refused: tboot and Xen load modules into RAM
    /// below 4 GiB, so nothing real comes near this.
    public var maximumLoadedSize: Int
    public var chunkSize: Int

    public init(banks: [HashAlgorithm], maximumLoadedSize: Int = 2 << 30, chunkSize: Int = 1 << 20) {
        self.banks = banks
        self.maximumLoadedSize = maximumLoadedSize
        self.chunkSize = chunkSize
    }

    /// Reports bytes of the stored file read so far and its size.
    public typealias Progress = @Sendable (_ done: Int, _ total: Int) -> Void

    public func load(localPath: String, grubPath: String, noUnzip: Bool, progress: Progress? = nil) throws(ModuleLoadError) -> LoadedModuleImage {
        do {
            return try loadUntyped(localPath: localPath, grubPath: grubPath, noUnzip: noUnzip, progress: progress)
        } catch let error as ModuleLoadError {
            throw error
        } catch {
            throw ModuleLoadError(path: grubPath, reason: "\(error)")
        }
    }

    private func loadUntyped(localPath: String, grubPath: String, noUnzip: Bool, progress: Progress?) throws -> LoadedModuleImage {
        let descriptor = open(localPath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ModuleLoadError(path: grubPath, reason: "cannot open \(localPath): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw ModuleLoadError(path: grubPath, reason: "\(localPath) is not a regular file")
        }
        let modificationTime = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)

        var chunk = [UInt8](repeating: 0, count: chunkSize)
        let fileHasher = DigestEngine(.sha256)
        let imageHasher = MultiHasher(banks)
        var decompressor: (any StreamDecompressor)?
        var compression = ModuleCompression.raw
        var head = [UInt8]()
        var loadedSize = 0
        var fileSize = 0
        var first = true

        let consume: (UnsafeRawBufferPointer) throws -> Void = { bytes in
            loadedSize += bytes.count
            guard loadedSize <= maximumLoadedSize else {
                throw ModuleLoadError(path: grubPath, reason: "it loads to more than \(maximumLoadedSize) bytes; refusing a decompression bomb")
            }
            if head.count < 64 { head += bytes.prefix(64 - head.count) }
            imageHasher.update(bytes)
        }

        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ModuleLoadError(path: grubPath, reason: "read error: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            fileSize += count
            progress?(fileSize, Int(info.st_size))
            try chunk.withUnsafeBytes { all in
                let bytes = UnsafeRawBufferPointer(rebasing: all[0..<count])
                fileHasher.update(bytes)
                if first {
                    first = false
                    compression = noUnzip ? .raw : ModuleCompression.detect(Array(bytes.prefix(16)))
                    switch compression {
                    case .gzip: decompressor = try GzipStreamDecompressor(path: grubPath)
                    case .xz: decompressor = try XZStreamDecompressor(path: grubPath)
                    case .lzop: decompressor = try LzopStreamDecompressor(path: grubPath)
                    case .raw: decompressor = nil
                    }
                }
                if decompressor != nil {
                    try decompressor!.feed(bytes, output: consume)
                } else {
                    try consume(bytes)
                }
            }
        }
        try decompressor?.finish()

        return LoadedModuleImage(
            grubPath: grubPath, localPath: localPath, compression: compression, loadedSize: loadedSize,
            imageDigests: imageHasher.finalize(), fileDigest: fileHasher.finalize(), fileSize: fileSize,
            modificationTime: modificationTime,
            isAuthenticatedCodeModule: TXTModuleKinds.isAuthenticatedCodeModule(head: head, size: loadedSize),
            isLaunchControlPolicy: TXTModuleKinds.isLaunchControlPolicy(head: head))
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
