/// A command's status as the evaluation knows it: success or failure, the
/// unknowns it depends on, and, for a command whose status is not
/// modelled, where it ran. Such a status becomes an unknown only where it
/// is used (a condition, `$?`), so a harmless `insmod` whose status nobody
/// reads reports nothing.
struct GrubStatus: Sendable {
    /// A command whose effects are modelled but whose status is not.
    struct Unmodelled: Sendable, Equatable {
        var command: String
        var file: String
        var line: Int
    }

    var succeeded: Bool
    var taint = GrubTaint()
    var unmodelled: Unmodelled?
    /// Whether `$?` is known exactly: 0 on success, 1 (GRUB_ERR_TEST_FAILURE)
    /// for a test that failed; other failures carry error numbers that
    /// depend on the file system and are not modelled.
    var codeKnown = true

    static let success = GrubStatus(succeeded: true)
    static let testFailure = GrubStatus(succeeded: false)

    /// A failure whose GRUB error number is not modelled.
    static let failure = GrubStatus(succeeded: false, codeKnown: false)

    func tainted(_ extra: GrubTaint) -> GrubStatus {
        var result = self
        result.taint.formUnion(extra)
        return result
    }

    /// `!` before a command: GRUB inverts a test failure and a success;
    /// any other failure becomes a success.
    var inverted: GrubStatus {
        var result = self
        result.succeeded.toggle()
        result.codeKnown = true
        return result
    }
}
