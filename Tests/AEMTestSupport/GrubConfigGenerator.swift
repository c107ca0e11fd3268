import Foundation

/// Random but well-formed GRUB configurations for the differential test
/// against grub-emu: quoting and escaping, empty and unset variables,
/// `if`/`test` with every operator, functions, loops, `source`, `load_env`,
/// submenus, `export`, `default` by index, title, id and `>` path,
/// `next_entry`/`saved_entry`, positional parameters and variables in titles,
/// `save_env` and `load_env` reading back what it wrote (run on a disk
/// image, where GRUB's `save_env` writes, and `savedefault` saving `$chosen`),
/// and `config_directory` (the
/// `41_custom` block grub2-mkconfig writes, with and without `custom.cfg`).
/// The same seed always gives the same configuration.
public struct GrubConfigGenerator {
    /// A generated case: the configuration, the files beside it.
    public struct Case: Sendable {
        public var seed: UInt64
        public var configuration: String
        /// Files beside `grub.cfg`, by name (a sourced script).
        public var files: [String: String]
        /// Variables for a `grubenv` written with `grub-editenv`.
        public var environment: [String: String]
        /// Whether a `grubenv` exists (possibly empty).
        public var hasEnvironmentBlock: Bool
        /// Whether GRUB must run it on a disk image: it writes with `save_env`.
        public var onDisk: Bool
    }

    private var state: UInt64
    private let seed: UInt64
    private var titles: [String] = []
    private var ids: [String] = []
    private var submenuPaths: [String] = []
    private var functionCount = 0
    /// `save_env` and `load_env` statements may appear.
    private var savesEnvironment = false

    public init(seed: UInt64) {
        self.seed = seed
        state = seed &+ 0x9E37_79B9_7F4A_7C15
    }

    // SplitMix64: small, deterministic, good enough to pick shapes.
    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    private mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }

    private mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    // MARK: Words

    static let variableNames = ["a", "b", "xen_args", "sp", "empty", "n", "unset_one"]
    static let values = [
        "", "word", "two words", "  lead and trail  ", "x=y", #"q"uote"#, "it's", #"back\slash"#, "a*b?c", "1", "10",
        "-3", "dom0_mem=max:4G", "placeholder", "$notvar", "semi;colon", "{brace}", "a>b", "#hash",
    ]
    static let literals = [
        "placeholder", "console=none", "ro", "x=1", "-", "--", "a.b", "/path/f", "0", "rd.luks.uuid=luks-1",
    ]

    /// A value written inside double quotes, with `\`, `"` and `$` escaped.
    private static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for character in text {
            if character == "\\" || character == "\"" || character == "$" { out.append("\\") }
            out.append(character)
        }
        return out + "\""
    }

    private static func singleQuotable(_ text: String) -> Bool { !text.contains("'") }

    /// One word of 1-3 concatenated parts.
    private mutating func word(positional: Bool = false) -> String {
        var word = ""
        for _ in 0..<int(1...3) {
            switch int(0...9) {
            case 0, 1:
                word += pick(Self.literals)
            case 2:
                let value = pick(Self.values)
                word += Self.singleQuotable(value) ? "'\(value)'" : Self.doubleQuoted(value)
            case 3:
                word += Self.doubleQuoted(pick(Self.values))
            case 4:
                let name = pick(Self.variableNames)
                word += chance(50) ? "\"$\(name)\"" : "\"${\(name)}\""
            case 5:
                let name = pick(Self.variableNames)
                word += chance(50) ? "$\(name)" : "${\(name)}"
            case 6:
                word += "\"pre $\(pick(Self.variableNames)) post\""
            case 7:
                word += pick([#"a\ b"#, #"\"q\""#, #"it\'s"#, #"back\\slash"#, #"\$notvar"#])
            default:
                if positional {
                    word += pick(["$1", "\"$1\"", "$2", "$#", "$@", "\"$@\"", "${1}", "\"$*\""])
                } else {
                    word += pick(Self.literals)
                }
            }
        }
        return word
    }

    private mutating func words(_ range: ClosedRange<Int>, positional: Bool = false) -> String {
        (0..<int(range)).map { _ in word(positional: positional) }.joined(separator: " ")
    }

    // MARK: Conditions

    private mutating func condition() -> String {
        switch int(0...5) {
        case 0: return pick(["true", "false"])
        case 1: return "test \(testExpression(depth: 0))"
        default: return "[ \(testExpression(depth: 0)) ]"
        }
    }

    private mutating func testExpression(depth: Int) -> String {
        switch int(0...(depth < 2 ? 8 : 5)) {
        case 0: return "\(word()) \(pick(["=", "==", "!="])) \(word())"
        case 1:
            return
                "\(pick(["1", "10", "-3", "$n", "\"$n\"", "0"])) \(pick(["-eq", "-ne", "-lt", "-le", "-gt", "-ge"])) \(pick(["1", "2", "10", "-3", "$n"]))"
        case 2: return "\(pick(["-z", "-n"])) \(word())"
        case 3:
            // grub-emu's host file system opens a directory for -s, where a
            // boot partition's does not: -s is asked of files only.
            let files = ["$prefix/grub.cfg", "$prefix/absent", "$prefix/extra.cfg"]
            if chance(25) { return "-s \(pick(files))" }
            return "\(pick(["-f", "-d", "-e"])) \(pick(files + ["$prefix", "/"]))"
        case 4: return "\"$\(pick(Self.variableNames))\""
        case 5: return "x$\(pick(Self.variableNames)) = x\(pick(["", "y", "word", "1"]))"
        case 6: return "! \(testExpression(depth: depth + 1))"
        case 7: return "\(testExpression(depth: depth + 1)) \(pick(["-a", "-o"])) \(testExpression(depth: depth + 1))"
        default: return "( \(testExpression(depth: depth + 1)) )"
        }
    }

    // MARK: Statements

    private mutating func assignment() -> String {
        let name = pick(Self.variableNames.filter { $0 != "unset_one" })
        switch int(0...3) {
        case 0: return "set \(name)=\(word())"
        case 1: return "\(name)=\(word())"
        case 2: return "set \(name)=\(Self.doubleQuoted(pick(Self.values)))"
        default: return "set \(name)=\"$\(pick(Self.variableNames)) \(pick(Self.literals))\""
        }
    }

    private mutating func simpleStatement() -> String {
        if savesEnvironment, chance(25) { return environmentStatement() }
        switch int(0...7) {
        case 0, 1, 2: return assignment()
        case 3: return "export \(pick(Self.variableNames))"
        case 4: return "unset \(pick(Self.variableNames))"
        case 5: return "echo \(words(0...2))"
        case 6: return "for v in \(words(1...3)); do set b=\"$b$v\"; done"
        default:
            if functionCount > 0 { return "f\(int(0...(functionCount - 1))) \(words(0...3))" }
            return assignment()
        }
    }

    /// `save_env` of set and unset variables (a removal), and `load_env`
    /// of the block it changed, all or some names, by default or named.
    private mutating func environmentStatement() -> String {
        let names = (0..<int(1...3)).map { _ in pick(Self.variableNames + ["next_entry", "saved_entry"]) }
        let file = pick(["", "-f $prefix/grubenv ", "-f ${config_directory}/grubenv ", "--file=$prefix/grubenv "])
        switch int(0...4) {
        case 0, 1: return "save_env \(file)\(names.joined(separator: " "))"
        case 2: return "load_env \(file)\(names.joined(separator: " "))"
        case 3: return "load_env \(file)"
        default: return "if save_env \(file)\(names[0]); then set b=saved; else set b=failed; fi"
        }
    }

    private mutating func conditional(_ body: (inout GrubConfigGenerator) -> String) -> String {
        var text = "if \(condition()); then\n\(body(&self))\n"
        if chance(30) { text += "elif \(condition()); then\n\(body(&self))\n" }
        if chance(50) { text += "else\n\(body(&self))\n" }
        return text + "fi"
    }

    private mutating func loaderCommand() -> String {
        let name = pick(GrubEmu.loaderNames)
        let file = pick(["/xen.gz", "/vmlinuz-6.6", "($root)/tboot.gz", "/initramfs.img", "/a\\ b"])
        return "\(name) \(file) \(words(0...4, positional: true))"
    }

    private mutating func entryBody() -> String {
        var lines = [String]()
        for _ in 0..<int(1...5) {
            switch int(0...9) {
            case 0: lines.append(simpleStatement())
            case 1: lines.append(conditional { $0.loaderCommand() })
            case 2: lines.append(savesEnvironment && chance(50) ? "savedefault" : "echo 'Loading...'")
            default: lines.append(loaderCommand())
            }
        }
        return lines.map { "  " + $0 }.joined(separator: "\n")
    }

    private mutating func title() -> String {
        let base = pick(["Qubes", "Xen 4.17", "it's", "a>b", "x", "Qubes, with Xen", "rescue"]) + " \(titles.count)"
        switch int(0...3) {
        case 1: return Self.doubleQuoted(base)
        case 2: return "\"\(base) ${\(pick(Self.variableNames))}\""
        default: return Self.singleQuotable(base) ? "'\(base)'" : Self.doubleQuoted(base)
        }
    }

    private mutating func menuEntry(prefix: String) -> String {
        let index = titles.count
        let titleWord = title()
        titles.append(titleWord)
        var header = "menuentry \(titleWord)"
        if chance(30) { header += " --class qubes --class os" }
        if chance(50) {
            let id = "id-\(index)"
            ids.append(prefix + id)
            header += chance(50) ? " --id \(id)" : " $menuentry_id_option '\(id)'"
        }
        if chance(30) { header += " \(words(1...2))" }
        return "\(header) {\n\(entryBody())\n}"
    }

    private mutating func submenu() -> String {
        let index = titles.count
        titles.append("sub")
        let id = "sub-\(index)"
        var text = "submenu 'Advanced \(index)' --id \(id) {\n"
        for _ in 0..<int(1...3) {
            if chance(30) { text += simpleStatement() + "\n" }
            text += menuEntry(prefix: id + ">") + "\n"
        }
        submenuPaths.append(id)
        return text + "}"
    }

    private mutating func defaultSelector() -> String {
        switch int(0...5) {
        case 0: return String(int(0...4))
        case 1: return ids.isEmpty ? "0" : pick(ids)
        case 2: return "\"${saved_entry}\""
        case 3: return submenuPaths.isEmpty ? "1" : "'\(pick(submenuPaths))>\(int(0...2))'"
        case 4: return "'Qubes, with Xen \(int(0...4))'"
        default: return "\"$\(pick(Self.variableNames))\""
        }
    }

    /// The whole configuration.
    public mutating func generate() -> Case {
        var lines = [String]()
        var environment = [String: String]()
        var files = [String: String]()
        savesEnvironment = chance(30)
        if savesEnvironment, chance(50) { environment["n"] = pick(["0", "1", "7"]) }
        if chance(40) {
            environment["saved_entry"] = pick(["0", "1", "id-0", "id-1", "Qubes 0", "sub-2>0"])
            if chance(50) { environment["next_entry"] = pick(["1", "id-2", "2"]) }
            if chance(40) { environment["a"] = pick(Self.values) }
            lines.append(chance(70) ? "load_env" : "load_env a saved_entry")
            lines += [
                "if [ \"${next_entry}\" ] ; then", "   set default=\"${next_entry}\"", "   set next_entry=",
            ]
            if savesEnvironment { lines.append("   save_env next_entry") }
            lines += ["else", "   set default=\"${saved_entry}\"", "fi"]
        }
        if chance(30) {
            files["extra.cfg"] = (0..<int(1...3)).map { _ in simpleStatement() }.joined(separator: "\n")
            lines.append(
                pick([
                    "source $prefix/extra.cfg", "source ${prefix}/extra.cfg", ". $prefix/extra.cfg",
                    "source ${config_directory}/extra.cfg",
                ]))
        }
        if chance(15) { lines.append("set b=\"$config_directory\"") }
        if savesEnvironment {
            // Fedora's savedefault: what GRUB names the chosen entry by.
            lines.append("function savedefault {\n  saved_entry=\"${chosen}\"\n  save_env saved_entry\n}")
        }
        for _ in 0..<int(1...3) {
            let number = functionCount
            functionCount += 1
            lines.append("function f\(number) {\n  set a=\"$1\"\n  \(chance(50) ? "set b=$2" : "set n=$#")\n}")
        }
        for _ in 0..<int(2...7) {
            switch int(0...9) {
            case 0, 1, 2: lines.append(simpleStatement())
            case 3: lines.append(conditional { $0.simpleStatement() })
            case 4: lines.append(submenu())
            case 5: lines.append("set default=\(defaultSelector())")
            default: lines.append(menuEntry(prefix: ""))
            }
        }
        if titles.isEmpty { lines.append(menuEntry(prefix: "")) }
        if chance(40) { lines.append("set default=\(defaultSelector())") }
        if chance(15) {
            // grub2-mkconfig's 41_custom block.
            lines.append(
                """
                if [ -f  ${config_directory}/custom.cfg ]; then
                  source ${config_directory}/custom.cfg
                elif [ -z "${config_directory}" -a -f  $prefix/custom.cfg ]; then
                  source $prefix/custom.cfg;
                fi
                """)
            if chance(60) {
                files["custom.cfg"] = (0..<int(1...2)).map { _ in simpleStatement() }.joined(separator: "\n")
            }
        }
        return Case(
            seed: seed, configuration: lines.joined(separator: "\n") + "\n", files: files, environment: environment,
            hasEnvironmentBlock: !environment.isEmpty || savesEnvironment, onDisk: savesEnvironment)
    }
}
