/// A GRUB script function: its body, where it was defined, and the
/// unknowns whether (and which) definition holds depends on.
struct GrubFunction: Sendable {
    var body: [GrubStatement]
    var file: String
    var taint = GrubTaint()
}
