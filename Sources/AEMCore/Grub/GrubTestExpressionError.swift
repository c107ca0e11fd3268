/// Why `GrubTestExpression.evaluate` cannot decide a `test` the way GRUB would.
enum GrubTestExpressionError: Error, Equatable {
    case nestingTooDeep
    /// A GRUB operator this evaluator does not follow (`-nt`, `-ot`
    /// compare file times; `-pgt` and kin compare version-like strings).
    case unsupportedOperator(String)
}
