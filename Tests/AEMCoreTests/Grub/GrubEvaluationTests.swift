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
        let grub = try GrubConfiguration.load(GrubEvaluationSettings(bootDirectory: directory.path, configurationFile: directory.path("grub2/grub.cfg")))
        let selection = try #require(entry.map { grub.entry(named: $0) } ?? grub.defaultEntry())
        return try grub.boot(selection)
    }

    static func commandLines(_ script: String, files: [String: String] = [:]) throws -> [String] {
        try boot(script, files: files).modules.map(\.commandLine)
    }

    @Test func placeholderEmptyVariablesAndSpacesCollapse() throws {
        let lines = try Self.commandLines("""
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
        let lines = try Self.commandLines(#"""
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

    @Test func quotedEmptyVariableGivesNoWordButEmptyQuotesGiveOne() throws {
        let lines = try Self.commandLines("""
            menuentry 'x' {
              multiboot /tboot.gz
              module /a placeholder "$empty" end
              module /b placeholder "" end
            }
            """)
        #expect(lines == ["placeholder end", "placeholder  end"])
    }

    @Test func unquotedVariableSplitsIntoWordsAndJoinsNeighbours() throws {
        let lines = try Self.commandLines("""
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
        let lines = try Self.commandLines("""
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
        let entry = try Self.boot("""
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
        let env = "# GRUB Environment Block\nsaved_entry=0\nnext_entry=1>AEM deep\n" + String(repeating: "#", count: 980)
        let entry = try Self.boot("""
            load_env
            if [ "${next_entry}" ]; then set default="${next_entry}"; else set default="${saved_entry}"; fi
            menuentry 'first' { multiboot /a.gz }
            submenu 'sub' { menuentry 'AEM deep' { multiboot /tboot.gz placeholder deep } }
            """, files: ["grub2/grubenv": env])
        #expect(entry.kernelArguments == ["placeholder", "deep"])
    }

    @Test func submenuSeesOnlyExportedVariables() throws {
        let entry = try Self.boot("""
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
        let entry = try Self.boot("""
            menuentry 'e' { multiboot /tboot.gz placeholder $late }
            set late=value
            """)
        #expect(entry.kernelArguments == ["placeholder", "value"])
    }

    @Test func functionsSourceAndLoops() throws {
        let entry = try Self.boot("""
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
        let entry = try Self.boot("""
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
        #expect(entry.bootsTboot)
    }

    @Test func linuxEntriesAreNotAEMEntries() throws {
        #expect(throws: GrubError.self) { try Self.boot("menuentry 'l' { linux /vmlinuz root=/dev/sda1\n initrd /initrd }") }
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
            try GrubConfiguration.load(GrubEvaluationSettings(bootDirectory: directory.path, configurationFile: recursive))
        }
        let nested = try directory.write("b.cfg", String(repeating: "if true; then\n", count: 100) + String(repeating: "fi\n", count: 100))
        #expect(throws: GrubError.self) {
            try GrubConfiguration.load(GrubEvaluationSettings(bootDirectory: directory.path, configurationFile: nested))
        }
        let sourcing = try directory.write("c.cfg", "source /c.cfg\n")
        #expect(throws: GrubError.self) {
            try GrubConfiguration.load(GrubEvaluationSettings(bootDirectory: directory.path, configurationFile: sourcing))
        }
    }

    @Test func environmentBlockParsing() throws {
        let block = "# GRUB Environment Block\nsaved_entry=a\\\\b\nother=x=y\n" + String(repeating: "#", count: 900)
        let values = try GrubEnvironmentBlock.parse(Array(block.utf8), file: "grubenv")
        #expect(values == ["saved_entry": "a\\b", "other": "x=y"])
        #expect(throws: GrubError.self) { try GrubEnvironmentBlock.parse(Array("saved_entry=x\n".utf8), file: "grubenv") }
    }

    @Test func loaderCommandLineJoin() {
        #expect(GrubLoaderCommandLine.join([]) == "")
        #expect(GrubLoaderCommandLine.join(["placeholder", "a=b"]) == "placeholder a=b")
        #expect(GrubLoaderCommandLine.join(["x y", "q'uote"]) == #""x y" q\'uote"#)
    }
}
