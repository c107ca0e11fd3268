/// What statements could do if they ran: the variables they could set,
/// the functions they could define, whether they could add menu items,
/// run loader commands or write environment blocks, and whether what
/// they could do is beyond telling (an unknown command, a sourced file,
/// `load_env` of every variable). Found by reading them
/// (`GrubStaticEffects`), for the parts of a conditional or loop that a
/// tainted condition decided not to run.
struct GrubEffects: Sendable, Equatable {
    var variables: Set<GrubName> = []
    var functions: Set<GrubName> = []
    var menuItems = false
    var loaderCommands = false
    var environmentWrites = false
    var unbounded = false

    mutating func formUnion(_ other: GrubEffects) {
        variables.formUnion(other.variables)
        functions.formUnion(other.functions)
        menuItems = menuItems || other.menuItems
        loaderCommands = loaderCommands || other.loaderCommands
        environmentWrites = environmentWrites || other.environmentWrites
        unbounded = unbounded || other.unbounded
    }

    mutating func set(_ name: String) { variables.insert(GrubName(name)) }
}
