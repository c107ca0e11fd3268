/// Where a menu level may hold items the evaluation did not create: a
/// branch that did not run here (its condition depends on `taint`) would
/// have added them before the item at `position`.
struct GrubMenuUncertainty: Sendable {
    var position: Int
    var taint: GrubTaint
}
