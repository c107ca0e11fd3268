import Foundation

/// Hashes on a second thread what the calling thread produces.
///
/// Loading a boot module is two jobs of similar cost: reading and
/// decompressing it, and hashing the result in every bank. On dom0's two
/// or more cores they run side by side: the producer fills buffers lent
/// from a small fixed pool (decompressing straight into them) and submits
/// each to a hasher; the hashing thread digests submissions in order and
/// returns the buffers. Memory is the pool, whatever the module's size,
/// and no byte is copied between the two threads.
public final class HashingPipeline: @unchecked Sendable {
    /// A buffer lent to the producer until it submits or returns it.
    public struct Buffer {
        fileprivate let index: Int
        /// The buffer's whole space.
        public let bytes: UnsafeMutableRawBufferPointer
    }

    private struct Submission {
        var index: Int
        var count: Int
        var hasher: Int
    }

    private let hashers: [MultiHasher]
    private let storage: UnsafeMutableRawBufferPointer
    private let bufferSize: Int
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var free: [Int]
    private var queue: [Submission] = []
    private var queueHead = 0
    private var closed = false
    private var hashingDone = false

    private init(hashers: [MultiHasher], buffers: Int, bufferSize: Int) {
        precondition(buffers >= 2 && bufferSize > 0)
        self.hashers = hashers
        self.bufferSize = bufferSize
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: buffers * bufferSize, alignment: 64)
        free = Array((0..<buffers).reversed())
    }

    deinit {
        storage.deallocate()
    }

    /// Runs `produce` on the calling thread while another thread feeds what
    /// it submits to `hashers`; returns (or rethrows) only once that thread
    /// has hashed every submission, so the hashers can then be finalized.
    public static func run<Result, Failure: Error>(
        hashers: [MultiHasher], buffers: Int = 6, bufferSize: Int = 1 << 20,
        produce: (HashingPipeline) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let pipeline = HashingPipeline(hashers: hashers, buffers: buffers, bufferSize: bufferSize)
        let thread = Thread { pipeline.hashSubmissions() }
        thread.name = "aem-reseal hashing"
        thread.start()
        defer { pipeline.closeAndWait() }
        return try produce(pipeline)
    }

    /// A free buffer; waits while all are being hashed.
    public func acquire() -> Buffer {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty { condition.wait() }
        let index = free.removeLast()
        return Buffer(
            index: index,
            bytes: UnsafeMutableRawBufferPointer(rebasing: storage[(index * bufferSize)..<((index + 1) * bufferSize)]))
    }

    /// Hands the first `count` bytes of `buffer` to hasher number `hasher`
    /// (an index into the `hashers` given to `run`). Submissions are hashed
    /// in the order they are made; the buffer must not be touched after.
    public func submit(_ buffer: Buffer, count: Int, to hasher: Int) {
        precondition(count >= 0 && count <= bufferSize && hashers.indices.contains(hasher))
        condition.lock()
        queue.append(Submission(index: buffer.index, count: count, hasher: hasher))
        condition.broadcast()
        condition.unlock()
    }

    /// Returns a buffer without hashing it.
    public func release(_ buffer: Buffer) {
        condition.lock()
        free.append(buffer.index)
        condition.broadcast()
        condition.unlock()
    }

    private func hashSubmissions() {
        while true {
            condition.lock()
            while queueHead == queue.count && !closed { condition.wait() }
            guard queueHead < queue.count else {
                hashingDone = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let next = queue[queueHead]
            queueHead += 1
            if queueHead == queue.count {
                queue.removeAll(keepingCapacity: true)
                queueHead = 0
            }
            condition.unlock()

            let start = next.index * bufferSize
            hashers[next.hasher].update(UnsafeRawBufferPointer(rebasing: storage[start..<(start + next.count)]))

            condition.lock()
            free.append(next.index)
            condition.broadcast()
            condition.unlock()
        }
    }

    private func closeAndWait() {
        condition.lock()
        closed = true
        condition.broadcast()
        while !hashingDone { condition.wait() }
        condition.unlock()
    }
}
