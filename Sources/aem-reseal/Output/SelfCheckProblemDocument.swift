import AEMCore
import AEMCycle

/// One entry of `selfCheck.problems` in `predict --json` (keys in docs/json.md).
struct SelfCheckProblemDocument: Encodable {
    var component: String
    var pcr: UInt32?
    var bank: String?
    var expected: String?
    var found: String?
    var message: String
    var events: [Int]

    init(_ problem: SelfCheckProblem) {
        component = problem.component
        pcr = problem.pcr
        bank = problem.bank?.rawValue
        expected = problem.expected
        found = problem.found
        message = problem.message
        events = problem.events
    }
}
