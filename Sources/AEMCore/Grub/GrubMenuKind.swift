/// Whether a `menuentry` or a `submenu` statement.
public enum GrubMenuKind: String, Sendable, Equatable {
    case entry = "menuentry"
    case submenu
}
