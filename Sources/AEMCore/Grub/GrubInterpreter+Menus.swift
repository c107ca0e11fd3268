extension GrubInterpreter {
    func defineMenu(kind: GrubMenuKind, words: [GrubWord], body: [GrubStatement], line: Int) throws(GrubError) {
        let (arguments, wordTaint) = try expand(words, line: line)
        var title: String?
        var id: String?
        var rest = [String]()
        // GRUB registers menuentry with ACCEPT_DASH: its own options are
        // taken out, any other dash word is an ordinary argument, and "--"
        // ends the options.
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if !optionsEnded {
                switch argument {
                case "--":
                    optionsEnded = true
                    continue
                case "--class", "--users", "--hotkey", "--source":
                    index += 1
                    continue
                case "--unrestricted":
                    continue
                case "--id":
                    id = index < arguments.count ? arguments[index] : nil
                    index += 1
                    continue
                default:
                    if argument.hasBytePrefix("--id=") {
                        id = argument.split(once: "=")?.after
                        continue
                    }
                    if ["--class=", "--users=", "--hotkey=", "--source="].contains(where: argument.hasBytePrefix) {
                        continue
                    }
                }
            }
            if title == nil {
                title = argument
            } else {
                rest.append(argument)
            }
        }
        guard let title else {
            throw .syntax(file: currentFile, line: line, message: "\(kind.rawValue) without a title")
        }
        let taint = wordTaint.union(control)
        switch kind {
        case .entry:
            entryIndices.append(items.count)
            items.append(
                .entry(
                    GrubMenuEntry(
                        title: title, id: id, arguments: rest, body: body, environment: variables, functions: functions,
                        file: currentFile, chosenAtLevel: chosen, taint: taint, argumentsTaint: wordTaint)))
        case .submenu:
            // GRUB runs a submenu's body when the submenu is entered, after
            // the whole level ran: it is built in `buildMenu`.
            pendingSubmenus.append(PendingSubmenu(index: items.count, body: body, line: line, file: currentFile))
            items.append(
                .submenu(
                    GrubSubmenu(title: title, id: id, menu: GrubMenu(items: []), defaultSelection: nil, taint: taint)))
        }
    }

    /// Builds a submenu from the level's final state (exported variables
    /// and functions), as GRUB does when the submenu is entered.
    func buildSubmenu(_ pending: PendingSubmenu) throws(GrubError) {
        guard case var .submenu(submenu) = items[pending.index] else { return }
        guard depth + 1 <= settings.budget.maximumDepth else {
            throw .limitExceeded(
                file: pending.file, line: pending.line, what: "the submenu depth", limit: settings.budget.maximumDepth)
        }
        // GRUB runs a submenu's body with the rest of the `default` path
        // in `default` (unset without one) and the submenu named in `chosen`.
        let submenuChosen = GrubMenuSelector.chosen(after: chosen, id: submenu.id ?? submenu.title)
        var childVariables = variables.exportedOnly
        childVariables.enterItem(
            chosen: submenuChosen, levelDefault: variables["default"], defaultTaint: variables.taint(of: "default"),
            taint: submenu.taint)
        let child = GrubInterpreter(
            files: files, mode: .menu, state: state, variables: childVariables, functions: functions)
        child.chosen = submenuChosen
        child.possibleFunctions = possibleFunctions
        child.currentFile = pending.file
        child.depth = depth + 1
        child.sourceDepth = sourceDepth
        submenu.menu = try child.buildMenu(pending.body)
        submenu.defaultSelection = child.variables["default"]
        submenu.defaultTaint = child.variables.taint(of: "default")
        // Only the submenu GRUB enters writes: its siblings start from this
        // level's blocks, and its entries keep its own (`finishLevel`).
        let levelEnvironment = state.environment
        state = child.state
        state.environment = levelEnvironment
        items[pending.index] = .submenu(submenu)
    }

    /// Gives entries of this level the level's final variables and functions.
    func finishLevel() -> [GrubMenuItem] {
        for index in entryIndices {
            if case var .entry(entry) = items[index] {
                entry.environment = variables
                entry.functions = functions
                entry.possibleFunctions = possibleFunctions
                entry.environmentBlocks = state.environment
                items[index] = .entry(entry)
            }
        }
        return items
    }
}
