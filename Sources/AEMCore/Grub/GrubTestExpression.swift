/// GRUB's `test` / `[` command as GRUB 2.06 evaluates it (commands/test.c):
/// not a precedence grammar but one left-to-right scan. At each position a
/// three-word comparison is tried first, then a two-word file or string
/// test, then `(`, `)`, `!`, `-a`, `-o`; any other word is true when it is
/// not empty. Every result is ANDed into the current term (inverted once
/// by a pending `!`), `-o` closes the term, and the value is "any term
/// true". So `[ ]` is true, a missing `]` is tolerated, and words left
/// over count as strings. Checked against GRUB by the grub-emu test.
///
/// An operator this evaluator does not follow evaluates to false and is
/// reported in `unsupported`; the caller makes the result an unknown.
struct GrubTestExpression {
    /// How deep `(` may nest: GRUB recurses for each, this evaluator
    /// refuses past this depth instead of exhausting the stack.
    static let maximumNesting = 64

    private static let unsupportedOperators: Set<String> = [
        "-nt", "-ot", "-peq", "-pne", "-plt", "-ple", "-pgt", "-pge",
    ]

    /// A file test's answer: `-e`, `-f` and `-d` look at the name itself
    /// (GRUB lists its folder, so a link is a file, never a folder); `-s`
    /// opens it (`following`). nil: nothing there.
    typealias FileKind = (_ path: String, _ following: Bool) -> GrubFileKind?

    /// The value, and the operators met that are not followed.
    struct Result: Equatable {
        var value: Bool
        var unsupported: [String]
    }

    private let arguments: [String]
    private let fileKind: FileKind
    private var position = 0
    private var unsupported: [String] = []

    /// Evaluates the words of `test` (for `[`, the closing `]` already removed).
    static func evaluate(_ arguments: [String], fileKind: @escaping FileKind) throws(GrubTestExpressionError)
        -> Result
    {
        var expression = GrubTestExpression(arguments: arguments, fileKind: fileKind)
        let value = try expression.scan(depth: 0)
        return Result(value: value, unsupported: expression.unsupported)
    }

    private init(arguments: [String], fileKind: @escaping FileKind) {
        self.arguments = arguments
        self.fileKind = fileKind
    }

    /// One scan level's running value.
    private struct Terms {
        var anyTermTrue = false
        var currentTerm = true
        var invertNext = false

        mutating func add(_ value: Bool) {
            currentTerm = currentTerm && (invertNext ? !value : value)
            invertNext = false
        }

        mutating func closeTerm() {
            anyTermTrue = anyTermTrue || currentTerm
            currentTerm = true
        }

        var value: Bool { anyTermTrue || currentTerm }
    }

    private mutating func scan(depth: Int) throws(GrubTestExpressionError) -> Bool {
        var terms = Terms()
        while position < arguments.count {
            if position + 2 < arguments.count, Self.unsupportedOperators.contains(arguments[position + 1]) {
                unsupported.append(arguments[position + 1])
                terms.add(false)
                position += 3
                continue
            }
            if position + 2 < arguments.count,
                let result = Self.comparison(arguments[position], arguments[position + 1], arguments[position + 2])
            {
                terms.add(result)
                position += 3
                continue
            }
            if position + 1 < arguments.count, let result = unaryTest(arguments[position], arguments[position + 1]) {
                terms.add(result)
                position += 2
                continue
            }
            let word = arguments[position]
            position += 1
            switch word {
            case ")":
                return terms.value
            case "(":
                guard depth < Self.maximumNesting else { throw .nestingTooDeep }
                terms.add(try scan(depth: depth + 1))
            case "!":
                terms.invertNext.toggle()
            case "-a":
                break
            case "-o":
                terms.closeTerm()
            default:
                terms.add(!word.isEmpty)
            }
        }
        return terms.value
    }

    /// `a OP b`: strings compare byte by byte, integers as `strtol` reads them.
    private static func comparison(_ left: String, _ op: String, _ right: String) -> Bool? {
        switch op {
        case "=", "==": return left.utf8.elementsEqual(right.utf8)
        case "!=": return !left.utf8.elementsEqual(right.utf8)
        case "<": return Array(left.utf8).lexicographicallyPrecedes(Array(right.utf8))
        case "<=": return !Array(right.utf8).lexicographicallyPrecedes(Array(left.utf8))
        case ">": return Array(right.utf8).lexicographicallyPrecedes(Array(left.utf8))
        case ">=": return !Array(left.utf8).lexicographicallyPrecedes(Array(right.utf8))
        case "-eq", "-ne", "-lt", "-le", "-gt", "-ge":
            let l = GrubNumber(left).value
            let r = GrubNumber(right).value
            switch op {
            case "-eq": return l == r
            case "-ne": return l != r
            case "-lt": return l < r
            case "-le": return l <= r
            case "-gt": return l > r
            default: return l >= r
            }
        default:
            return nil
        }
    }

    /// `-d`, `-e`, `-f`, `-s` on a path; `-n`, `-z` on a string.
    private func unaryTest(_ op: String, _ operand: String) -> Bool? {
        switch op {
        case "-d": return fileKind(operand, false) == .directory
        case "-e": return fileKind(operand, false) != nil
        case "-f": return fileKind(operand, false).map { $0 != .directory } ?? false
        // GRUB opens the file and asks its size; a directory does not open
        // on a boot partition's file system.
        case "-s": return fileKind(operand, true) == .nonEmptyFile
        case "-n": return !operand.isEmpty
        case "-z": return operand.isEmpty
        default: return nil
        }
    }
}
