/// What tboot printed when it measured one module: the command line it saw
/// (`verifying module "..."`) and, with its default fixed hash policy, the
/// module digest (`OK : ...`).
public struct TbootModuleVerification: Sendable, Equatable {
    /// Module index in the order tboot received them (SINIT and LCP removed).
    public var index: Int
    public var commandLine: String
    /// `H(H(cmdline) || H(image))` in tboot's current bank; nil when tboot
    /// did not print it (its `embedded` hash policy prints no digest).
    public var digest: Digest?

    public init(index: Int, commandLine: String, digest: Digest?) {
        self.index = index
        self.commandLine = commandLine
        self.digest = digest
    }
}
