/// GRUB's `test` / `[` command: string, integer and file tests combined
/// with `!`, `-a`, `-o` and parentheses.
struct GrubTestExpression {
    private let arguments: [String]
    private let fileExists: (String) -> GrubFileKind?
    private var index = 0

    enum Failure: Error { case syntax }

    init(_ arguments: [String], fileExists: @escaping (String) -> GrubFileKind?) {
        self.arguments = arguments
        self.fileExists = fileExists
    }

    /// Evaluates; nil when the expression is malformed (GRUB then fails the command).
    static func evaluate(_ arguments: [String], fileExists: @escaping (String) -> GrubFileKind?) -> Bool? {
        var expression = GrubTestExpression(arguments, fileExists: fileExists)
        guard !arguments.isEmpty else { return false }
        guard let value = try? expression.or(), expression.index == arguments.count else { return nil }
        return value
    }

    private var current: String? { index < arguments.count ? arguments[index] : nil }

    private mutating func or() throws -> Bool {
        var value = try and()
        while current == "-o" {
            index += 1
            let right = try and()
            value = value || right
        }
        return value
    }

    private mutating func and() throws -> Bool {
        var value = try not()
        while current == "-a" {
            index += 1
            let right = try not()
            value = value && right
        }
        return value
    }

    private mutating func not() throws -> Bool {
        if current == "!" {
            index += 1
            return !(try not())
        }
        return try primary()
    }

    private static let binary: Set<String> = ["=", "==", "!=", "<", "<=", ">", ">=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge"]
    private static let unary: Set<String> = ["-z", "-n", "-d", "-e", "-f", "-s"]

    private mutating func primary() throws -> Bool {
        guard let first = current else { throw Failure.syntax }
        if first == "(" {
            index += 1
            let value = try or()
            guard current == ")" else { throw Failure.syntax }
            index += 1
            return value
        }
        if index + 2 < arguments.count, Self.binary.contains(arguments[index + 1]) {
            let left = first
            let op = arguments[index + 1]
            let right = arguments[index + 2]
            index += 3
            return try compare(left, op, right)
        }
        if Self.unary.contains(first), index + 1 < arguments.count {
            let operand = arguments[index + 1]
            index += 2
            switch first {
            case "-z": return operand.isEmpty
            case "-n": return !operand.isEmpty
            case "-d": return fileExists(operand) == .directory
            case "-e": return fileExists(operand) != nil
            case "-f": return fileExists(operand).map { $0 != .directory } ?? false
            default: return fileExists(operand) == .nonEmptyFile
            }
        }
        index += 1
        return !first.isEmpty
    }

    private func compare(_ left: String, _ op: String, _ right: String) throws -> Bool {
        switch op {
        case "=", "==": return left == right
        case "!=": return left != right
        case "<": return left < right
        case "<=": return left <= right
        case ">": return left > right
        case ">=": return left >= right
        default:
            guard let l = Int(left), let r = Int(right) else { throw Failure.syntax }
            switch op {
            case "-eq": return l == r
            case "-ne": return l != r
            case "-lt": return l < r
            case "-le": return l <= r
            case "-gt": return l > r
            default: return l >= r
            }
        }
    }
}

/// What a path on the boot partition is, for `-d`, `-e`, `-f` and `-s`.
enum GrubFileKind: Equatable {
    case directory
    case emptyFile
    case nonEmptyFile
}
