/// The attacker's work bounded: everything one evaluation of a GRUB
/// configuration may do, with what it has done so far. One value is
/// carried through the whole evaluation, grub.cfg, every sourced file and
/// environment block, every submenu and the chosen entry's commands, and
/// each bound is checked before the work is done. A real configuration
/// (a few hundred KiB, a few thousand statements, a few environment
/// reads) stays far below every limit.
public struct GrubEvaluationBudget: Sendable, Equatable {
    /// Statements run.
    public var maximumSteps = 200_000
    /// Bytes of script lexed and parsed, all files together: a 4 MiB file
    /// sourced over and over is refused after a few times, not after
    /// 200 000 statements.
    public var maximumScriptBytes = 16 << 20
    /// Environment blocks read by `load_env` and `save_env` together.
    public var maximumEnvironmentReads = 256
    /// Bytes all expansions may produce together: `set a="$a$a"` repeated
    /// would otherwise double them at every step.
    public var maximumExpansionBytes = 32 << 20
    /// The longest value a variable or an expanded word may have: GRUB's
    /// configurations hold command lines of a few hundred bytes.
    public var maximumValueSize = 64 << 10
    /// The largest script file read (grub.cfg or a sourced file).
    public var maximumFileSize = 4 << 20
    /// Nesting of blocks, function calls and submenus.
    public var maximumDepth = 32
    /// Nesting of `source`.
    public var maximumSourceDepth = 8

    public private(set) var steps = 0
    public private(set) var scriptBytes = 0
    public private(set) var environmentReads = 0
    public private(set) var expansionBytes = 0

    public init() {}

    mutating func spendStep(file: String, line: Int) throws(GrubError) {
        steps += 1
        guard steps <= maximumSteps else {
            throw .limitExceeded(file: file, line: line, what: "the number of evaluation steps", limit: maximumSteps)
        }
    }

    mutating func spendScript(bytes: Int, file: String, line: Int) throws(GrubError) {
        scriptBytes += bytes
        guard scriptBytes <= maximumScriptBytes else {
            throw .limitExceeded(
                file: file, line: line, what: "the bytes of script read in one evaluation",
                limit: maximumScriptBytes)
        }
    }

    mutating func spendEnvironmentRead(file: String, line: Int) throws(GrubError) {
        environmentReads += 1
        guard environmentReads <= maximumEnvironmentReads else {
            throw .limitExceeded(
                file: file, line: line, what: "the number of environment blocks read",
                limit: maximumEnvironmentReads)
        }
    }

    mutating func spendExpansion(bytes: Int, file: String, line: Int) throws(GrubError) {
        expansionBytes += bytes
        guard expansionBytes <= maximumExpansionBytes else {
            throw .limitExceeded(
                file: file, line: line, what: "the bytes all expansions produce", limit: maximumExpansionBytes)
        }
    }

    func checkValue(_ value: String, what: String, file: String, line: Int) throws(GrubError) {
        guard value.utf8.count <= maximumValueSize else {
            throw .limitExceeded(file: file, line: line, what: what, limit: maximumValueSize)
        }
    }
}
