/// A decompressor fed the stored file chunk by chunk; it hands out the
/// decompressed bytes as they come, so that hashing never needs the whole
/// module in memory. Implementations throw only `ModuleLoadError`.
protocol StreamDecompressor {
    /// Consumes one chunk of the stored file.
    mutating func feed(_ input: UnsafeRawBufferPointer, output: (UnsafeRawBufferPointer) throws -> Void) throws
    /// Called at the end of the file: checks the stream ended cleanly.
    mutating func finish() throws
}
