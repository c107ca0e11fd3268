import Testing

@testable import AEMCore

/// Pages of zeros are not stored, and every read sees the bytes appended,
/// whatever the chunking.
struct SparseBytesTests {
    /// Zeros, then content across a page boundary, then zeros and a short tail.
    static let bytes: [UInt8] =
        [UInt8](repeating: 0, count: 3 * SparseBytes.pageSize + 10)
        + (0..<(SparseBytes.pageSize + 7)).map { UInt8(truncatingIfNeeded: $0 * 31 + 1) }
        + [UInt8](repeating: 0, count: 2 * SparseBytes.pageSize) + [9, 8, 7]

    @Test(arguments: [1, 4096, SparseBytes.pageSize, 3 * SparseBytes.pageSize + 1])
    func readsSeeWhatWasAppended(chunk: Int) {
        var sparse = SparseBytes()
        var offset = 0
        while offset < Self.bytes.count {
            let end = min(offset + chunk, Self.bytes.count)
            Self.bytes[offset..<end].withUnsafeBytes { sparse.append($0) }
            offset = end
        }
        #expect(sparse.count == Self.bytes.count)
        #expect(sparse.copy(0..<sparse.count) == Self.bytes)
        for probe in [0, 5, 3 * SparseBytes.pageSize + 9, 3 * SparseBytes.pageSize + 10, Self.bytes.count - 1] {
            #expect(sparse[probe] == Self.bytes[probe])
        }
        let range = (3 * SparseBytes.pageSize - 5)..<(5 * SparseBytes.pageSize + 3)
        var runs = [UInt8]()
        sparse.forEachRun(in: range) {
            runs += $0
        } zeros: {
            runs += repeatElement(0, count: $0)
        }
        #expect(runs == Array(Self.bytes[range]))
        #expect(!sparse.isStored(0) && sparse.isStored(3 * SparseBytes.pageSize + 10))
        #expect(!sparse.isStored(5 * SparseBytes.pageSize), "a page of zeros is not stored")
    }
}
