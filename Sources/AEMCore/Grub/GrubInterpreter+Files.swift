extension GrubInterpreter {
    /// A GRUB path resolved as GRUB resolves it: `(device)/path`, or
    /// `/path` on `$root`'s device.
    struct Located {
        /// The path inside the boot partition; nil when GRUB opens nothing
        /// there (no closing parenthesis, a relative path) or the device is
        /// another (then `taint` names that unknown).
        var path: String?
        /// The unknowns which file GRUB opens depends on (`$root`'s).
        var taint: GrubTaint
    }

    /// The options of `load_env` and `save_env` (grub-core/commands/loadenv.c).
    static let environmentOptions = GrubOptionParser(
        options: [
            .init(long: "file", short: "f", value: .required), .init(long: "skip-sig", short: "s", value: .none),
        ],
        acceptsDash: false)

    func locate(_ grubPath: String, line: Int) -> Located {
        let device: String
        var rest: String
        var taint = GrubTaint()
        if grubPath.hasBytePrefix("(") {
            guard var (inside, after) = grubPath.split(once: ")") else { return Located(path: nil, taint: taint) }
            inside.unicodeScalars.removeFirst()
            (device, rest) = (inside, after)
        } else {
            device = variables["root"] ?? ""
            taint = variables.taint(of: "root")
            rest = grubPath
        }
        guard device.utf8.elementsEqual(settings.bootDevice.utf8) else {
            return Located(path: nil, taint: taint.union(register(.otherDevice(path: grubPath), line: line)))
        }
        guard rest.hasBytePrefix("/") else { return Located(path: nil, taint: taint) }
        while rest.hasBytePrefix("//") { rest.removeFirst() }
        return Located(path: rest, taint: taint)
    }

    /// What `test -e/-f/-d` (not `following`: GRUB lists the folder, so
    /// trailing slashes go and a link is a file) or `-s` (`following`:
    /// GRUB opens it) finds at a path, and the unknowns that depends on.
    func fileKind(_ grubPath: String, following: Bool, line: Int) -> (GrubFileKind?, GrubTaint) {
        var path = grubPath
        if !following {
            var device = ""
            var name = grubPath
            if grubPath.hasBytePrefix("("), let (inside, after) = grubPath.split(once: ")") {
                (device, name) = ("\(inside))", after)
            }
            while name.hasByteSuffix("/") { name.unicodeScalars.removeLast() }
            // Without a folder, GRUB looks the name up at the device's root.
            path = device + (name.hasBytePrefix("/") ? name : "/" + name)
        }
        let located = locate(path, line: line)
        guard let inside = located.path else { return (nil, located.taint) }
        switch files.probe(inside, following: following) {
        case .absent: return (nil, located.taint)
        case .directory: return (.directory, located.taint)
        case let .file(size): return (size > 0 ? .nonEmptyFile : .emptyFile, located.taint)
        case let .unreadable(error):
            return (nil, located.taint.union(register(.unreadableFile(path: grubPath, error: error), line: line)))
        }
    }

    /// `source FILE` / `. FILE`: runs the file in this context, with
    /// `config_file` and `config_directory` naming it meanwhile. GRUB
    /// returns success whatever happens, and a missing file does nothing.
    func source(_ arguments: [String], taint: GrubTaint, line: Int) throws(GrubError) -> GrubStatus {
        guard arguments.count == 1, let grubPath = arguments.first else { return .failure }
        guard sourceDepth < settings.budget.maximumSourceDepth else {
            throw .limitExceeded(
                file: currentFile, line: line, what: "the depth of nested \"source\"",
                limit: settings.budget.maximumSourceDepth)
        }
        let located = locate(grubPath, line: line)
        let pathTaint = located.taint.union(taint)
        // Which file GRUB reads is uncertain: it may hold anything.
        if !pathTaint.isEmpty { becomeUnbounded(pathTaint.union(control)) }
        guard let inside = located.path else { return .success }
        switch files.read(inside, limit: settings.budget.maximumFileSize) {
        case .absent:
            return .success
        case let .unreadable(error):
            becomeUnbounded(register(.unreadableFile(path: grubPath, error: error), line: line).union(control))
            return .success
        case let .read(bytes, record):
            state.recordRead(record)
            try state.budget.spendScript(bytes: bytes.count, file: currentFile, line: line)
            switch GrubScriptText.reading(bytes) {
            case let .failure(invalid):
                let unknown = register(.invalidEncoding(file: grubPath, offset: invalid.offset), line: line)
                becomeUnbounded(unknown.union(control))
            case let .success(text):
                let statements = try GrubParser.parse(text, file: grubPath, maximumDepth: settings.budget.maximumDepth)
                try runSourced(statements, grubPath: grubPath, taint: pathTaint)
            }
            return .success
        }
    }

    private func runSourced(_ statements: [GrubStatement], grubPath: String, taint: GrubTaint) throws(GrubError) {
        let saved = (file: variables["config_file"], directory: variables["config_directory"])
        let savedTaint = (file: variables.taint(of: "config_file"), directory: variables.taint(of: "config_directory"))
        setConfigurationVariables(grubPath)
        let savedCurrent = currentFile
        sourceDepth += 1
        currentFile = grubPath
        defer {
            sourceDepth -= 1
            currentFile = savedCurrent
        }
        _ = try under(taint) { () throws(GrubError) in try run(statements) }
        restore("config_file", saved.file, savedTaint.file)
        restore("config_directory", saved.directory, savedTaint.directory)
    }

    /// `config_file` and `config_directory` as `read_config_file` sets them
    /// (grub-core/normal/main.c): the file with its device, `$root`'s when
    /// it names none, and its folder; both exported.
    func setConfigurationVariables(_ grubPath: String) {
        var file = grubPath
        var taint = control
        if !grubPath.hasBytePrefix("(") {
            file = "(\(variables["root"] ?? ""))\(grubPath)"
            taint.formUnion(variables.taint(of: "root"))
        }
        var directory = file
        if let (folder, _) = directory.split(once: "/", last: true) { directory = folder }
        variables.set("config_file", file, taint: taint)
        variables.set("config_directory", directory, taint: taint)
        variables.export("config_file", taint: taint)
        variables.export("config_directory", taint: taint)
    }

    private func restore(_ name: String, _ value: String?, _ taint: GrubTaint) {
        if let value {
            variables.set(name, value, taint: taint.union(control))
        } else {
            variables.unset(name, taint: control)
        }
    }
}
