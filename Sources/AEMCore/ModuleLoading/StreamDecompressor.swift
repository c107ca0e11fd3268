/// A decompressor fed the stored file chunk by chunk; it writes the
/// decompressed bytes into the sink as they come, so that hashing never
/// needs the whole module in memory.
protocol StreamDecompressor {
    /// Consumes one chunk of the stored file.
    mutating func feed(_ input: UnsafeRawBufferPointer, into output: LoadedImageSink) throws(ModuleLoadError)
    /// Called at the end of the file: checks the stream ended cleanly.
    mutating func finish() throws(ModuleLoadError)
}

extension StreamDecompressor {
    /// GRUB reads one stream per module; after its end only zero padding
    /// (to a block size) may follow. Anything else is refused.
    static func requireZeroPadding(_ rest: some Sequence<UInt8>, path: String, compression: ModuleCompression)
        throws(ModuleLoadError)
    {
        guard rest.allSatisfy({ $0 == 0 }) else {
            throw ModuleLoadError(path: path, reason: .trailingData(compression))
        }
    }
}
