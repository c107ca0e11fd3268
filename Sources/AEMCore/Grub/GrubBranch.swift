/// One `if`/`elif` arm: the condition commands and the body.
public struct GrubBranch: Sendable, Equatable {
    public var condition: [GrubStatement]
    public var body: [GrubStatement]
}
