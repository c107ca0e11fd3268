/// The menu a GRUB configuration builds, as a tree of entries and submenus.
public struct GrubMenu: Sendable {
    public var items: [GrubMenuItem]

    /// Every entry with its menu path, depth first.
    public var allEntries: [(path: [Int], titles: [String], entry: GrubMenuEntry)] {
        var result = [(path: [Int], titles: [String], entry: GrubMenuEntry)]()
        func walk(_ items: [GrubMenuItem], path: [Int], titles: [String]) {
            for (index, item) in items.enumerated() {
                switch item {
                case let .entry(entry): result.append((path + [index], titles + [entry.title], entry))
                case let .submenu(submenu): walk(submenu.items, path: path + [index], titles: titles + [submenu.title])
                }
            }
        }
        walk(items, path: [], titles: [])
        return result
    }
}

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
}

/// A `menuentry`: what it is called and the commands it runs when chosen.
public struct GrubMenuEntry: Sendable {
    public var title: String
    public var id: String?
    public var arguments: [String]
    var body: [GrubStatement]
    /// The variables of the menu level the entry belongs to, as they stood
    /// after the whole configuration ran (the entry runs after it).
    var environment: GrubVariables
    /// The functions defined when the configuration finished.
    var functions: [String: [GrubStatement]]
    var file: String
}

/// A `submenu` with its entries, built from its own (exported-only) context.
public struct GrubSubmenu: Sendable {
    public var title: String
    public var id: String?
    public var items: [GrubMenuItem]
    /// The `default` the submenu's own body set: GRUB's choice inside it
    /// when the submenu is entered.
    public var defaultSelection: String?
}
