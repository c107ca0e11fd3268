/// Why `GrubTestExpression.evaluate` cannot answer a `test`.
enum GrubTestExpressionError: Error, Equatable {
    /// `(` nests deeper than `GrubTestExpression.maximumNesting`.
    case nestingTooDeep
}
