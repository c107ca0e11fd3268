/// What a GRUB entry loads: the multiboot kernel and its modules, as GRUB
/// hands them over.
public struct GrubBootEntry: Sendable {
    /// A `module`/`module2` line.
    public struct Module: Sendable, Equatable {
        /// The path on the boot partition, device prefix removed (`/xen-4.17.3.gz`).
        public var path: String
        /// Arguments after the file name, expanded.
        public var arguments: [String]
        /// `--nounzip`: GRUB loads the file as it is, compressed or not.
        public var noUnzip: Bool
        /// The string the module receives (`grub_create_loader_cmdline`).
        public var commandLine: String { GrubLoaderCommandLine.join(arguments) }
    }

    public var title: String
    public var titlePath: String
    public var id: String?
    public var menuPath: [Int]
    /// `multiboot` or `multiboot2`.
    public var loader: String
    public var kernelPath: String
    public var kernelArguments: [String]
    public var modules: [Module]
    /// `slaunch_module` files (TrenchBoot: the SINIT ACM or AMD's SKL),
    /// which the launch measures itself and Xen never sees as modules.
    public var launchModules: [Module]
    /// Whether the entry ran `slaunch` (TrenchBoot's dynamic launch).
    public var securelyLaunched: Bool
    /// The configuration files that chose this entry and built its
    /// commands: `grub.cfg` first, then the files it read.
    public var configurationFiles: [GrubConfigurationFile]
    /// The unknowns that could change which entry GRUB chooses, which files
    /// this one loads, or their command lines: nothing here is predicted
    /// with certainty unless this is empty. Conservative: an unknown that
    /// might shift the menu before the entry, or might match its title or
    /// id first, counts (`GrubMenu.choiceTaint`).
    public var unknownInfluences: [GrubUnknown]
    /// Every unknown met building the menu and running this entry.
    public var unknowns: [GrubUnknown]
    /// The writes `save_env` makes to environment blocks while the menu is
    /// built and this entry runs, in order: what GRUB itself changes at
    /// boot (`boot_success`, `savedefault`, clearing `next_entry`).
    public var environmentWrites: [GrubEnvironmentWrite]
    /// Unknowns that could add environment writes not listed, or stop
    /// listed ones.
    public var environmentUncertainty: [GrubUnknown]

    /// The measured-launch loader of the entry (an AEM entry), or nil: tboot
    /// as the multiboot kernel, or `slaunch` with a `multiboot2` kernel.
    public var launcher: DynamicLaunchLoader? {
        if securelyLaunched && loader == "multiboot2" { return .trenchBoot }
        return kernelPath.split(separator: "/").last?.lowercased().contains("tboot") == true ? .tboot : nil
    }

    /// Whether the entry boots through tboot or TrenchBoot, i.e. is an AEM entry.
    public var isAEMEntry: Bool { launcher != nil }

    init(selection: GrubConfiguration.Selection, run: GrubEntryRun) throws(GrubError) {
        configurationFiles = run.files
        title = selection.entry.title
        titlePath = selection.titlePath
        id = selection.entry.id
        menuPath = selection.path
        unknownInfluences = run.influences
        unknowns = run.state.unknowns
        environmentWrites = run.state.environmentWrites
        environmentUncertainty = run.state.unknowns(in: run.state.environment.uncertainty)
        let commands = run.commands
        var loader: String?
        var kernel: (path: String, arguments: [String])?
        var modules = [Module]()
        var launchModules = [Module]()
        var securelyLaunched = false
        for command in commands {
            switch command.name {
            case "slaunch":
                securelyLaunched = true
            case "slaunch_module":
                guard let (path, rest) = Self.pathAndArguments(command.arguments) else {
                    throw .commandWithoutFile(file: command.file, line: command.line, command: command.name)
                }
                launchModules.append(Module(path: path, arguments: rest, noUnzip: true))
            case "multiboot", "multiboot2":
                // A new kernel load discards the modules loaded before it.
                guard
                    let (path, arguments) = Self.pathAndArguments(
                        command.arguments.filter { !$0.hasBytePrefix("--quirk") })
                else {
                    throw .commandWithoutFile(file: command.file, line: command.line, command: command.name)
                }
                loader = command.name
                kernel = (path, arguments)
                modules = []
            case "module", "module2":
                guard kernel != nil else {
                    throw .moduleBeforeKernel(file: command.file, line: command.line, command: command.name)
                }
                var arguments = command.arguments
                var noUnzip = false
                while let first = arguments.first, first.hasBytePrefix("--") {
                    if first == "--nounzip" { noUnzip = true }
                    arguments.removeFirst()
                }
                guard let (path, rest) = Self.pathAndArguments(arguments) else {
                    throw .commandWithoutFile(file: command.file, line: command.line, command: command.name)
                }
                modules.append(Module(path: path, arguments: rest, noUnzip: noUnzip))
            default:
                throw .notAnAEMEntry(title: selection.titlePath, command: command.name)
            }
        }
        guard let loader, let kernel else {
            throw .notAnAEMEntry(title: selection.titlePath, command: nil)
        }
        self.loader = loader
        kernelPath = kernel.path
        kernelArguments = kernel.arguments
        self.modules = modules
        self.launchModules = launchModules
        self.securelyLaunched = securelyLaunched
    }

    private static func pathAndArguments(_ arguments: [String]) -> (String, [String])? {
        guard var path = arguments.first else { return nil }
        if path.hasBytePrefix("("), let (_, after) = path.split(once: ")") {
            path = after
        }
        return (path, Array(arguments.dropFirst()))
    }
}
