extension GrubInterpreter {
    /// An environment block as `load_env` or `save_env` finds it.
    private enum Block {
        case absent
        /// Not an environment block to GRUB: the command fails.
        case rejected
        /// There but not readable or not text here.
        case unknown(GrubTaint)
        /// As GRUB reads it (with what `save_env` wrote earlier), and its
        /// path inside the partition.
        case found(GrubEnvironmentBlock, String)
    }

    /// The block a command names: `-f FILE`, else `$prefix/grubenv`.
    private struct Target {
        var grubPath: String?
        var located: Located
        var taint: GrubTaint
    }

    /// `load_env [-f FILE] [-s] [NAME...]`: sets the block's variables (only
    /// the names given, when there are any).
    func loadEnvironment(_ arguments: [String], taint: GrubTaint, line: Int) throws(GrubError) -> GrubStatus {
        guard let parsed = Self.environmentOptions.parse(arguments) else { return .failure }
        let names = parsed.arguments
        let target = target(parsed.value("file"), taint: taint, line: line)
        try state.budget.spendEnvironmentRead(file: currentFile, line: line)
        // Another file than the one read here may be GRUB's.
        if !target.taint.isEmpty { possiblySet(names, target.taint.union(control)) }
        switch read(target, line: line) {
        case .absent, .rejected:
            return GrubStatus.failure.tainted(target.taint)
        case let .unknown(unknown):
            possiblySet(names, unknown.union(control))
            return GrubStatus(succeeded: true, taint: unknown.union(target.taint), codeKnown: false)
        case let .found(block, _):
            for (name, value) in block.variables
            where names.isEmpty || names.contains(where: { $0.utf8.elementsEqual(name.utf8) }) {
                try setVariable(name, value, taint: target.taint, line: line)
            }
            return GrubStatus.success.tainted(target.taint)
        }
    }

    /// `save_env [-f FILE] NAME...`: writes each variable's value (or
    /// removes an unset one) in the block, all or nothing, as GRUB does;
    /// kept in memory for later reads, never written to disk.
    func saveEnvironment(_ arguments: [String], taint: GrubTaint, line: Int) throws(GrubError) -> GrubStatus {
        guard let parsed = Self.environmentOptions.parse(arguments), !parsed.arguments.isEmpty else {
            return .failure
        }
        let target = target(parsed.value("file"), taint: taint, line: line)
        try state.budget.spendEnvironmentRead(file: currentFile, line: line)
        let writeTaint = target.taint.union(control)
        state.environment.uncertainty.formUnion(target.taint)
        switch read(target, line: line) {
        case .absent, .rejected:
            return GrubStatus.failure.tainted(target.taint)
        case let .unknown(unknown):
            state.environment.uncertainty.formUnion(unknown.union(control))
            return GrubStatus(succeeded: true, taint: unknown.union(target.taint), codeKnown: false)
        case .found(var block, let file):
            var changes = [GrubEnvironmentStore.Write]()
            for name in parsed.arguments {
                let value = variables[name]
                if let value {
                    guard block.set(name, value) else { return GrubStatus.failure.tainted(target.taint) }
                } else {
                    block.delete(name)
                }
                changes.append(
                    .init(file: file, name: name, value: value, taint: variables.taint(of: name).union(writeTaint)))
            }
            state.environment.record(block, file: file, changes: changes)
            return GrubStatus.success.tainted(target.taint)
        }
    }

    private func target(_ file: String?, taint: GrubTaint, line: Int) -> Target {
        guard let path = file ?? variables["prefix"].map({ $0 + "/grubenv" }) else {
            return Target(grubPath: nil, located: Located(path: nil, taint: GrubTaint()), taint: taint)
        }
        let located = locate(path, line: line)
        var pathTaint = taint.union(located.taint)
        if file == nil { pathTaint.formUnion(variables.taint(of: "prefix")) }
        return Target(grubPath: path, located: located, taint: pathTaint)
    }

    private func read(_ target: Target, line: Int) -> Block {
        guard let grubPath = target.grubPath, let inside = target.located.path else { return .absent }
        switch files.read(inside, limit: GrubEnvironmentBlock.maximumSize) {
        case .absent:
            return .absent
        case let .unreadable(error):
            return .unknown(register(.unreadableFile(path: grubPath, error: error), line: line))
        case .read(let bytes, var record):
            record.isEnvironmentBlock = true
            state.recordRead(record)
            let file = record.partitionPath?.shown ?? inside
            if let written = state.environment.written(file) { return .found(written, file) }
            if let offset = GrubInvalidText.firstInvalidOffset(bytes) {
                return .unknown(register(.invalidEncoding(file: grubPath, offset: offset), line: line))
            }
            return GrubEnvironmentBlock(bytes: bytes).map { .found($0, file) } ?? .rejected
        }
    }

    /// Variables a block GRUB may read differently from this one could
    /// set: the names given, or any.
    private func possiblySet(_ names: [String], _ taint: GrubTaint) {
        guard !names.isEmpty else {
            becomeUnbounded(taint)
            return
        }
        for name in names { variables.addTaint(name, taint) }
    }
}
