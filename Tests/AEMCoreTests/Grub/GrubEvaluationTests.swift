import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// GRUB script semantics the prediction depends on.
@Suite struct GrubEvaluationTests {
    /// Evaluates a configuration in a scratch /boot and boots one entry.
    static func boot(_ script: String, entry: String? = nil, files: [String: String] = [:]) throws -> GrubBootEntry {
        let directory = try TemporaryDirectory()
        try directory.write("grub2/grub.cfg", script)
        for (name, content) in files { try directory.write(name, content) }
        let grub = try GrubConfiguration.load(
            GrubEvaluationSettings(bootDirectory: directory.path, configurationFile: directory.path("grub2/grub.cfg")))
        let selection = try #require(entry.map { grub.entry(named: $0) } ?? grub.defaultEntry())
        return try grub.boot(selection)
    }

    static func commandLines(_ script: String, files: [String: String] = [:]) throws -> [String] {
        try boot(script, files: files).modules.map(\.commandLine)
    }

    @Test func placeholderEmptyVariablesAndSpacesCollapse() throws {
        let lines = try Self.commandLines(
            """
            set xen_args="console=none  dom0_mem=min:1024M"
            menuentry 'x' {
              multiboot /tboot.gz placeholder logging=memory,serial ${GRUB_CMDLINE_TBOOT}
              xen_rm_opts=
              module /xen.gz placeholder $xen_args ${xen_rm_opts}
              module /initramfs.img
            }
            """)
        #expect(lines == ["placeholder console=none dom0_mem=min:1024M", ""])
    }

    @Test func quotedWordsKeepSpacesAndGetGrubEscaping() throws {
        // GRUB quotes an argument that contains a space and escapes \ ' " in it.
        let lines = try Self.commandLines(
            #"""
            set greeting="hello world"
            menuentry 'x' {
              multiboot /tboot.gz
              module /a placeholder "$greeting" "it's" "say \"hi\"" back\\slash a\ b
              module /b placeholder "" "$unset"x
            }
            """#)
        #expect(lines[0] == #"placeholder "hello world" it\'s "say \"hi\"" back\\slash "a b""#)
        #expect(lines[1] == "placeholder  x")
    }

    /// GRUB 2.06 (grub-emu, the differential test's oracle) hands the
    /// loader an empty word for a quoted empty or unset variable, as for "";
    /// only an unquoted one vanishes.
    @Test func quotedEmptyVariableGivesAnEmptyWordLikeEmptyQuotes() throws {
        let lines = try Self.commandLines(
            """
            menuentry 'x' {
              multiboot /tboot.gz
              module /a placeholder "$empty" end
              module /b placeholder "" end
              module /c placeholder $empty end
            }
            """)
        #expect(lines == ["placeholder  end", "placeholder  end", "placeholder end"])
    }

    @Test func unquotedVariableSplitsIntoWordsAndJoinsNeighbours() throws {
        let lines = try Self.commandLines(
            """
            set v="  a  b  "
            menuentry 'x' {
              multiboot /tboot.gz
              module /m pre${v}post
            }
            """)
        // GRUB skips the value's leading blanks, splits at inner ones, and
        // trailing blanks do not end the word: ["prea", "bpost"].
        #expect(lines == ["prea bpost"])
    }

    @Test func conditionalsWithPlatformAndLogicalOperators() throws {
        let lines = try Self.commandLines(
            """
            menuentry 'x' {
              multiboot /tboot.gz
              if [ "$grub_platform" = "pc" -o "$grub_platform" = "" ]; then
                opts=legacy
              elif [ -n "$grub_platform" ]; then
                opts=efi
              else
                opts=none
              fi
              if [ -n "$grub_cpu" -a ! x$grub_cpu != xi386 ]; then both=yes; fi
              # GRUB drops a quoted empty variable: this is [ -z ], which is true.
              if [ -z "$missing" ]; then quirk=kept; fi
              if [ -d /aem/ ]; then aem=present; else aem=absent; fi
              module /m $opts $both $aem $quirk
            }
            """, files: ["aem/.keep": ""])
        #expect(lines == ["legacy yes present kept"])
    }

    @Test func defaultFromGrubenvSavedEntryById() throws {
        let env = "# GRUB Environment Block\nsaved_entry=aem\n" + String(repeating: "#", count: 990)
        let entry = try Self.boot(
            """
            if [ -s $prefix/grubenv ]; then load_env; fi
            if [ "${next_entry}" ]; then set default="${next_entry}"; else set default="${saved_entry}"; fi
            if [ x"${feature_menuentry_id}" = xy ]; then menuentry_id_option="--id"; else menuentry_id_option=""; fi
            export menuentry_id_option
            menuentry 'plain' $menuentry_id_option 'plain' { multiboot /xen.gz }
            submenu 'More' $menuentry_id_option 'more' {
              menuentry 'AEM' $menuentry_id_option 'aem' { multiboot /tboot.gz }
            }
            menuentry 'AEM top' $menuentry_id_option 'aem' { multiboot /tboot.gz placeholder top }
            """, files: ["grub2/grubenv": env])
        #expect(entry.title == "AEM top")
        #expect(entry.kernelArguments == ["placeholder", "top"])
    }

    @Test func nextEntryWinsAndPathsReachIntoSubmenus() throws {
        let env =
            "# GRUB Environment Block\nsaved_entry=0\nnext_entry=1>AEM deep\n" + String(repeating: "#", count: 980)
        let entry = try Self.boot(
            """
            load_env
            if [ "${next_entry}" ]; then set default="${next_entry}"; else set default="${saved_entry}"; fi
            menuentry 'first' { multiboot /a.gz }
            submenu 'sub' { menuentry 'AEM deep' { multiboot /tboot.gz placeholder deep } }
            """, files: ["grub2/grubenv": env])
        #expect(entry.kernelArguments == ["placeholder", "deep"])
    }

    @Test func submenuSeesOnlyExportedVariables() throws {
        let entry = try Self.boot(
            """
            set kept=yes
            set lost=yes
            export kept
            submenu 'sub' {
              menuentry 'e' { multiboot /tboot.gz placeholder k=$kept l=$lost }
            }
            """, entry: "0>0")
        #expect(entry.kernelArguments == ["placeholder", "k=yes", "l="])
    }

    @Test func entryRunsWithVariablesSetAfterIt() throws {
        let entry = try Self.boot(
            """
            menuentry 'e' { multiboot /tboot.gz placeholder $late }
            set late=value
            """)
        #expect(entry.kernelArguments == ["placeholder", "value"])
    }

    @Test func functionsSourceAndLoops() throws {
        let entry = try Self.boot(
            """
            function pick { chosen_arg=$1 }
            source /extra.cfg
            menuentry 'e' {
              pick second
              list=
              for x in a b; do list="${list}${x}"; done
              multiboot /tboot.gz $chosen_arg $from_source $list
            }
            """, files: ["extra.cfg": "from_source=sourced\n"])
        #expect(entry.kernelArguments == ["second", "sourced", "ab"])
    }

    @Test func moduleOptionsAndDevicePrefixes() throws {
        let entry = try Self.boot(
            """
            menuentry 'e' {
              multiboot2 (hd0,msdos1)/tboot.gz
              module2 --nounzip ($root)/initramfs.img
              module (hd0,msdos1)/xen.gz placeholder
            }
            """)
        #expect(entry.loader == "multiboot2")
        #expect(entry.kernelPath == "/tboot.gz")
        #expect(entry.modules.map(\.path) == ["/initramfs.img", "/xen.gz"])
        #expect(entry.modules.map(\.noUnzip) == [true, false])
        #expect(entry.isAEMEntry)
    }

    @Test func linuxEntriesAreNotAEMEntries() throws {
        let linux = #expect(throws: GrubError.self) {
            try Self.boot("menuentry 'l' { linux /vmlinuz root=/dev/sda1\n initrd /initrd }")
        }
        #expect(linux == .notAnAEMEntry(title: "l", command: "linux"))
    }

    /// Entries whose modules cannot be known are refused with the file, line and command.
    @Test func incompleteModuleCommandsAreTypedErrors() throws {
        let bare = #expect(throws: GrubError.self) {
            try Self.boot("menuentry 'x' {\n multiboot /tboot.gz\n module --nounzip\n}")
        }
        guard case let .commandWithoutFile(file, 3, "module")? = bare else {
            Issue.record("\(String(describing: bare))")
            return
        }
        #expect(file.hasSuffix("/grub2/grub.cfg"))
        let early = #expect(throws: GrubError.self) { try Self.boot("menuentry 'x' {\n module2 /xen.gz\n}") }
        guard case .moduleBeforeKernel(_, 2, "module2")? = early else {
            Issue.record("\(String(describing: early))")
            return
        }
    }

    @Test(arguments: [
        ("menuentry 'x' {\n multiboot /a\n", "never closed"),
        ("if [ a = a ]; then\n echo\n", "expected \"fi\""),
        ("menuentry 'x {\n}\n", "unterminated single quote"),
        ("echo \"abc\n", "unterminated double quote"),
        ("fi\n", "unexpected \"fi\""),
        ("echo a | b\n", "pipes"),
    ])
    func syntaxErrorsNameTheLine(script: String, message: String) throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("grub.cfg", script)
        let error = #expect(throws: GrubError.self) {
            try GrubConfiguration.load(GrubEvaluationSettings(bootDirectory: directory.path, configurationFile: file))
        }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
        #expect(error?.description.contains("grub.cfg:") == true)
    }

    @Test func runawayRecursionAndNestingAreBounded() throws {
        let directory = try TemporaryDirectory()
        let recursive = try directory.write("a.cfg", "function f { f }\nf\n")
        #expect(throws: GrubError.self) {
            try GrubConfiguration.load(
                GrubEvaluationSettings(bootDirectory: directory.path, configurationFile: recursive))
        }
        let nested = try directory.write(
            "b.cfg", String(repeating: "if true; then\n", count: 100) + String(repeating: "fi\n", count: 100))
        #expect(throws: GrubError.self) {
            try GrubConfiguration.load(GrubEvaluationSettings(bootDirectory: directory.path, configurationFile: nested))
        }
        let sourcing = try directory.write("c.cfg", "source /c.cfg\n")
        #expect(throws: GrubError.self) {
            try GrubConfiguration.load(
                GrubEvaluationSettings(bootDirectory: directory.path, configurationFile: sourcing))
        }
    }

    @Test func environmentBlockParsing() throws {
        let block = "# GRUB Environment Block\nsaved_entry=a\\\\b\nother=x=y\n" + String(repeating: "#", count: 900)
        let values = try GrubEnvironmentBlock.parse(Array(block.utf8), file: "grubenv")
        #expect(values == ["saved_entry": "a\\b", "other": "x=y"])
        #expect(throws: GrubError.self) {
            try GrubEnvironmentBlock.parse(Array("saved_entry=x\n".utf8), file: "grubenv")
        }
    }

    @Test func loaderCommandLineJoin() {
        #expect(GrubLoaderCommandLine.join([]) == "")
        #expect(GrubLoaderCommandLine.join(["placeholder", "a=b"]) == "placeholder a=b")
        #expect(GrubLoaderCommandLine.join(["x y", "q'uote"]) == #""x y" q\'uote"#)
    }
}

/// GRUB's reading of `default`, as grub-emu (GRUB 2.06) showed it: a
/// leading number wins whatever follows, `>` paths enter submenus, a
/// submenu's own `default` beats the rest of the path, and a selector that
/// names nothing falls back to the first item.
@Suite struct GrubDefaultSelectionTests {
    static func booted(_ menu: String, default selector: String) throws -> String? {
        let directory = try TemporaryDirectory()
        try directory.write("grub2/grub.cfg", menu + "\nset default='\(selector)'\n")
        let grub = try GrubConfiguration.load(
            GrubEvaluationSettings(bootDirectory: directory.path, configurationFile: directory.path("grub2/grub.cfg")))
        return grub.defaultEntry()?.entry.title
    }

    static let flat = "menuentry A { true; }\nmenuentry B { true; }\nmenuentry C { true; }"

    @Test(arguments: [
        ("1-", "B"), ("1x", "B"), ("1 ", "B"), ("2abc", "C"), ("0x1z", "B"), ("x", "A"), ("1>", "B"), ("010", "A"),
        ("-1", "A"),
        ("C", "C"), ("9", "A"),
    ])
    func numbersAndTitles(selector: String, expected: String) throws {
        #expect(try Self.booted(Self.flat, default: selector) == expected)
    }

    static let nested = "menuentry X { true; }\nsubmenu S --id s { menuentry A { true; }\nmenuentry B { true; } }"

    @Test(arguments: [("s>1", "B"), ("S>B", "B"), ("1>9", "A"), ("1", "A"), ("X>3", "X")])
    func pathsIntoSubmenus(selector: String, expected: String) throws {
        #expect(try Self.booted(Self.nested, default: selector) == expected)
    }

    @Test func aSubmenusOwnDefaultBeatsTheRestOfThePath() throws {
        let menu = "submenu S --id s { set default=1\nmenuentry A { true; }\nmenuentry B { true; } }"
        #expect(try Self.booted(menu, default: "s>0") == "B")
    }
}

/// Hostile test expressions end in a clear error or an answer, never in a
/// stack overflow.
@Suite struct GrubTestNestingTests {
    static func evaluate(_ condition: String) throws -> GrubConfiguration {
        let directory = try TemporaryDirectory()
        try directory.write(
            "grub2/grub.cfg", "if \(condition); then set default=1; fi\nmenuentry A { true; }\nmenuentry B { true; }\n")
        return try GrubConfiguration.load(
            GrubEvaluationSettings(bootDirectory: directory.path, configurationFile: directory.path("grub2/grub.cfg")))
    }

    @Test func deepParenthesesAreRefusedWithALimit() throws {
        let deep = "[ " + String(repeating: "( ", count: 5000) + "x = x" + String(repeating: " )", count: 5000) + " ]"
        let error = #expect(throws: GrubError.self) { try Self.evaluate(deep) }
        #expect(error?.description.contains("nesting of (") == true)
        // Within the limit the same shape evaluates.
        let fine = "[ " + String(repeating: "( ", count: 60) + "x = x" + String(repeating: " )", count: 60) + " ]"
        #expect(try Self.evaluate(fine).defaultEntry()?.entry.title == "B")
    }

    @Test func longNegationChainsEvaluate() throws {
        // An even number of ! cancels out; GRUB toggles once per word.
        #expect(
            try Self.evaluate("[ " + String(repeating: "! ", count: 100_000) + "x ]").defaultEntry()?.entry.title == "B"
        )
        #expect(
            try Self.evaluate("[ " + String(repeating: "! ", count: 100_001) + "x ]").defaultEntry()?.entry.title == "A"
        )
    }
}

/// The command line string, case by case as GRUB 2.06's
/// grub_create_loader_cmdline (grub-core/lib/cmdline.c) builds it.
@Suite struct GrubLoaderCommandLineTests {
    @Test(arguments: [
        (["a", "b"], "a b"),
        (["two words"], "\"two words\""),
        (["it's"], "it\\'s"),
        (["say \"hi\""], "\"say \\\"hi\\\"\""),
        (["back\\slash"], "back\\\\slash"),
        // \xHH with two hex digits is left alone; anything shorter is escaped.
        (["a\\x41b"], "a\\x41b"),
        (["\\x4"], "\\\\x4"),
        (["\\xZZ"], "\\\\xZZ"),
        (["\\X41"], "\\\\X41"),
        (["", "x"], " x"),
        ([], ""),
    ])
    func joinsAsGrubDoes(arguments: [String], expected: String) {
        #expect(GrubLoaderCommandLine.join(arguments) == expected)
    }
}
