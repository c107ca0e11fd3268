/// One item of a menu level.
public enum GrubMenuItem: Sendable {
    case entry(GrubMenuEntry)
    case submenu(GrubSubmenu)

    var title: String {
        switch self {
        case let .entry(entry): return entry.title
        case let .submenu(submenu): return submenu.title
        }
    }

    var id: String? {
        switch self {
        case let .entry(entry): return entry.id
        case let .submenu(submenu): return submenu.id
        }
    }

    /// The unknowns whether the item exists, and its title and id, depend on.
    var taint: GrubTaint {
        switch self {
        case let .entry(entry): return entry.taint
        case let .submenu(submenu): return submenu.taint
        }
    }
}
