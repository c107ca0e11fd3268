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
    var functions: [GrubName: GrubFunction]
    /// The environment blocks as the entry's level left them: the writes
    /// of grub.cfg and of the submenus GRUB enters to reach the entry,
    /// never those of a submenu it does not enter.
    var environmentBlocks = GrubEnvironmentStore()
    /// Functions a branch not run at its level could have (re)defined.
    var possibleFunctions: [GrubName: GrubTaint] = [:]
    var file: String
    /// `chosen` at its level (nil at the top): GRUB appends the entry's id.
    var chosenAtLevel: String?
    /// The unknowns whether the entry exists, and its words, depend on.
    var taint: GrubTaint
    /// The unknowns its title and arguments (`$1`, `$2`...) depend on.
    var argumentsTaint: GrubTaint
}
