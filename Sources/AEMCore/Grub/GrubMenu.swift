/// The menu a GRUB configuration builds, as a tree of entries and submenus.
public struct GrubMenu: Sendable {
    public var items: [GrubMenuItem]
    /// Places where items may exist that the evaluation did not create (a
    /// branch a tainted condition did not run could have).
    var uncertainties: [GrubMenuUncertainty] = []
    /// Unknowns the whole level depends on (an unknown command ran while
    /// it was built): any choice through it.
    var outcome = GrubTaint()

    init(items: [GrubMenuItem], uncertainties: [GrubMenuUncertainty] = [], outcome: GrubTaint = GrubTaint()) {
        self.items = items
        self.uncertainties = uncertainties
        self.outcome = outcome
    }

    /// Every entry with its menu path, depth first.
    public var allEntries: [(path: [Int], titles: [String], entry: GrubMenuEntry)] {
        var result = [(path: [Int], titles: [String], entry: GrubMenuEntry)]()
        func walk(_ items: [GrubMenuItem], path: [Int], titles: [String]) {
            for (index, item) in items.enumerated() {
                switch item {
                case let .entry(entry): result.append((path + [index], titles + [entry.title], entry))
                case let .submenu(submenu):
                    walk(submenu.menu.items, path: path + [index], titles: titles + [submenu.title])
                }
            }
        }
        walk(items, path: [], titles: [])
        return result
    }

    /// The unknowns choosing item `index` of this level depends on (nil:
    /// a selector named nothing and GRUB fell back to the first item, which
    /// any item could have changed):
    /// the level's own, and those of every item and possible item at or
    /// before it, since any of them could shift the index or match the
    /// title or id first. Conservative: an item whose title is tainted is
    /// counted even when the selector is a number.
    func choiceTaint(matched index: Int?) -> GrubTaint {
        var taint = outcome
        for (position, item) in items.enumerated() where index.map({ position <= $0 }) ?? true {
            taint.formUnion(item.taint)
        }
        for uncertainty in uncertainties where index.map({ uncertainty.position <= $0 }) ?? true {
            taint.formUnion(uncertainty.taint)
        }
        return taint
    }
}
