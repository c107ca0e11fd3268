/// Where a module's loaded (decompressed) bytes go: straight into the
/// hashing pipeline's buffers, so a decompressor writes each byte once and
/// nothing copies it again. On the way it counts the bytes against the
/// decompression-bomb limit and the run's `WorkBudget`, and keeps the first ones, which tell a TXT
/// module apart.
final class LoadedImageSink {
    private let pipeline: HashingPipeline
    private let hasher: Int
    private let path: String
    private let limit: Int
    private let budget: WorkBudget
    private var current: HashingPipeline.Buffer?
    private var filled = 0

    /// Bytes committed so far.
    private(set) var loadedSize = 0
    /// The first 64 of them.
    private(set) var head: [UInt8] = []

    init(pipeline: HashingPipeline, hasher: Int, path: String, limit: Int, budget: WorkBudget) {
        self.pipeline = pipeline
        self.hasher = hasher
        self.path = path
        self.limit = limit
        self.budget = budget
    }

    /// Free space to write into, never empty; the same space until
    /// `commit` is called.
    func space() -> UnsafeMutableRawBufferPointer {
        let buffer = current ?? pipeline.acquire()
        current = buffer
        return UnsafeMutableRawBufferPointer(rebasing: buffer.bytes[filled...])
    }

    /// At least `count` contiguous bytes of space (a partly filled buffer is
    /// handed on first to make room), or nil when a buffer is smaller.
    func space(atLeast count: Int) -> UnsafeMutableRawBufferPointer? {
        if let buffer = current, buffer.bytes.count - filled < count { submitCurrent() }
        let space = space()
        return space.count >= count ? space : nil
    }

    /// The first `count` bytes of the last `space()` now hold loaded data.
    func commit(_ count: Int) throws(ModuleLoadError) {
        guard count > 0, let buffer = current else { return }
        precondition(filled + count <= buffer.bytes.count)
        loadedSize += count
        guard loadedSize <= limit else {
            throw ModuleLoadError(path: path, reason: .tooLarge(limit: limit))
        }
        do throws(WorkBudgetExceeded) {
            try budget.spend(count, on: path)
        } catch {
            throw ModuleLoadError(path: path, reason: .budgetSpent(error))
        }
        if head.count < 64 {
            head += UnsafeRawBufferPointer(rebasing: buffer.bytes[filled..<(filled + min(count, 64 - head.count))])
        }
        filled += count
        if filled == buffer.bytes.count { submitCurrent() }
    }

    /// Copies `bytes` in, for data a decoder cannot write in place.
    func write(_ bytes: UnsafeRawBufferPointer) throws(ModuleLoadError) {
        var offset = 0
        while offset < bytes.count {
            let target = space()
            let count = min(target.count, bytes.count - offset)
            target.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
            try commit(count)
            offset += count
        }
    }

    /// Hands on the partly filled buffer, or returns an unused one.
    func flush() {
        guard let buffer = current else { return }
        if filled > 0 {
            submitCurrent()
        } else {
            pipeline.release(buffer)
            current = nil
        }
    }

    private func submitCurrent() {
        guard let buffer = current else { return }
        pipeline.submit(buffer, count: filled, to: hasher)
        current = nil
        filled = 0
    }
}
