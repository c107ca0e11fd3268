import AEMTestSupport
import Testing

@testable import AEMCore

@Suite struct HashingPipelineTests {
    struct Stop: Error {}

    /// Two interleaved streams through two buffers (the producer waits on
    /// the hashing thread at every step) give the same digests as hashing
    /// each stream directly, known from Python's hashlib.
    @Test func interleavedStreamsHashInSubmissionOrder() throws {
        let first = testBytes(300_001, seed: 7)
        let second = testBytes(123_457, seed: 8)
        let hashers = [MultiHasher([.sha1, .sha256]), MultiHasher([.sha384])]
        HashingPipeline.run(hashers: hashers, buffers: 2, bufferSize: 1000) { pipeline in
            var offsets = [0, 0]
            let streams = [first, second]
            var turn = 0
            while offsets[0] < first.count || offsets[1] < second.count {
                let stream = offsets[turn] < streams[turn].count ? turn : 1 - turn
                let buffer = pipeline.acquire()
                // Uneven sizes, some empty, none over the buffer.
                let count = min(streams[stream].count - offsets[stream], (offsets[stream] * 7 + 13) % 1001)
                streams[stream][offsets[stream]..<(offsets[stream] + count)].withUnsafeBytes {
                    buffer.bytes.copyMemory(from: $0)
                }
                pipeline.submit(buffer, count: count, to: stream)
                offsets[stream] += count
                turn = 1 - turn
            }
        }
        let one = hashers[0].finalize()
        let two = hashers[1].finalize()
        #expect(one[.sha1]?.hex == (try Python.hash("sha1", first)))
        #expect(one[.sha256]?.hex == (try Python.hash("sha256", first)))
        #expect(two[.sha384]?.hex == (try Python.hash("sha384", second)))
    }

    /// A producer that fails after filling every buffer still returns:
    /// the hashing thread drains what was submitted and ends.
    @Test func aFailingProducerDoesNotHang() {
        let hasher = MultiHasher([.sha256])
        #expect(throws: Stop.self) {
            try HashingPipeline.run(hashers: [hasher], buffers: 3, bufferSize: 64) { pipeline in
                for _ in 0..<10 {
                    let buffer = pipeline.acquire()
                    buffer.bytes.initializeMemory(as: UInt8.self, repeating: 0xAB)
                    pipeline.submit(buffer, count: 64, to: 0)
                }
                _ = pipeline.acquire()
                throw Stop()
            }
        }
        #expect(hasher.finalize()[.sha256] == HashAlgorithm.sha256.hash([UInt8](repeating: 0xAB, count: 640)))
    }
}
