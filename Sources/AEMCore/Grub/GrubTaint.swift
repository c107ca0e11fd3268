/// The unknowns a value, a status or an effect depends on: indices into
/// the evaluation's list of unknowns (`GrubEvaluationState.unknowns`).
/// Empty means fully modelled.
struct GrubTaint: Hashable, Sendable {
    private(set) var indices: Set<Int> = []

    init() {}

    init(_ index: Int) { indices = [index] }

    var isEmpty: Bool { indices.isEmpty }

    func union(_ other: GrubTaint) -> GrubTaint {
        var result = self
        result.formUnion(other)
        return result
    }

    mutating func formUnion(_ other: GrubTaint) {
        if !other.indices.isEmpty { indices.formUnion(other.indices) }
    }
}
