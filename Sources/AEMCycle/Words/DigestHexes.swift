import AEMCore

extension Sequence<Digest> {
    /// `{"<bank>": "<lowercase hex>"}`: how the JSON documents and the
    /// state file write one measurement across banks.
    public var hexByBank: [String: String] {
        Dictionary(uniqueKeysWithValues: map { ($0.algorithm.rawValue, $0.hex) })
    }
}
