/// The environment blocks as they stand during one evaluation: what
/// `save_env` wrote is kept here (never on disk) and read back by a later
/// `load_env` of the same block, as GRUB reads back what it wrote.
struct GrubEnvironmentStore: Sendable {
    struct Write: Sendable {
        var file: String
        var name: String
        var value: String?
        var taint: GrubTaint
    }

    /// Blocks `save_env` changed, by their path inside the partition.
    private(set) var blocks: [String: GrubEnvironmentBlock] = [:]
    /// Every change, in order.
    private(set) var writes: [Write] = []
    /// Unknowns that could add writes not listed (a branch that did not
    /// run here, a block that could not be read).
    var uncertainty = GrubTaint()

    /// The block as the evaluation sees it: its written state if
    /// `save_env` changed it, else nil (read the disk).
    func written(_ file: String) -> GrubEnvironmentBlock? { blocks[file] }

    mutating func record(_ block: GrubEnvironmentBlock, file: String, changes: [Write]) {
        blocks[file] = block
        writes += changes
    }
}
