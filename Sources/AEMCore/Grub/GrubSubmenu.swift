/// A `submenu` with its entries, built from its own (exported-only) context.
public struct GrubSubmenu: Sendable {
    public var title: String
    public var id: String?
    /// Its level: the items its body created when entered.
    public var menu: GrubMenu
    /// The `default` the submenu's own body set: GRUB's choice inside it
    /// when the submenu is entered.
    public var defaultSelection: String?
    /// The unknowns whether the submenu exists, and its words, depend on.
    var taint: GrubTaint
    /// The unknowns its own `default` depends on.
    var defaultTaint = GrubTaint()

    public var items: [GrubMenuItem] { menu.items }
}
