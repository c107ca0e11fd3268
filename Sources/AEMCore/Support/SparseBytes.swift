/// A byte string kept as fixed-size pages, the all-zero pages not stored:
/// a decompressed tboot is ~30 MB, nearly all of it the zeros of its
/// `.bss` laid out in the file, and only a few hundred KiB of content.
/// Reads of a page not stored see zeros.
struct SparseBytes {
    static let pageSize = 1 << 16

    private(set) var count = 0
    /// One entry per full page; nil is a page of zeros.
    private var pages: [[UInt8]?] = []
    /// The last page while it is being filled.
    private var tail: [UInt8] = []

    init() {}

    init(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Appends `bytes` at the end.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        var rest = bytes[...]
        while !rest.isEmpty {
            let take = min(rest.count, Self.pageSize - tail.count)
            tail += rest.prefix(take)
            rest = rest.dropFirst(take)
            count += take
            if tail.count == Self.pageSize {
                pages.append(tail.allSatisfy { $0 == 0 } ? nil : tail)
                tail.removeAll(keepingCapacity: true)
            }
        }
    }

    /// The page holding `position`, nil when it is zeros.
    private func page(_ index: Int) -> [UInt8]? { index < pages.count ? pages[index] : tail }

    /// The byte at `position` (inside `0..<count`).
    subscript(position: Int) -> UInt8 {
        page(position / Self.pageSize).map { $0[position % Self.pageSize] } ?? 0
    }

    /// Whether the page holding `position` is stored (may hold non-zero bytes).
    func isStored(_ position: Int) -> Bool { page(position / Self.pageSize) != nil }

    /// The bytes in `range` (inside `0..<count`).
    func copy(_ range: Range<Int>) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(range.count)
        forEachRun(in: range) {
            out += $0
        } zeros: {
            out += repeatElement(0, count: $0)
        }
        return out
    }

    /// Visits `range` (inside `0..<count`) in order as runs of stored bytes,
    /// not copied, and counts of zeros.
    func forEachRun(in range: Range<Int>, _ stored: (UnsafeRawBufferPointer) -> Void, zeros: (Int) -> Void) {
        var position = range.lowerBound
        while position < range.upperBound {
            let offset = position % Self.pageSize
            let take = min(range.upperBound - position, Self.pageSize - offset)
            if let bytes = page(position / Self.pageSize) {
                bytes.withUnsafeBytes { stored(UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + take)])) }
            } else {
                zeros(take)
            }
            position += take
        }
    }
}
