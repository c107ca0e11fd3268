import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// Unknown never vouches: what the evaluator cannot model is reported as a
/// `GrubUnknown`, and an entry carries exactly the unknowns that could change
/// whether it is chosen, what it loads or its command lines.
@Suite struct GrubUnknownTests {
    /// A scratch /boot with `grub2/grub.cfg` and `files`, evaluated.
    static func load(
        _ script: String, files: [String: String] = [:], uuid: String? = nil
    ) throws -> (GrubConfiguration, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        try directory.write("grub2/grub.cfg", script)
        for (name, content) in files { try directory.write(name, content) }
        var settings = GrubEvaluationSettings(
            bootDirectory: directory.path, configurationFile: directory.path("grub2/grub.cfg"))
        settings.bootPartitionUUID = uuid
        return (try GrubConfiguration.load(settings), directory)
    }

    /// The default entry of `script`.
    static func boot(_ script: String, files: [String: String] = [:], uuid: String? = nil) throws -> GrubBootEntry {
        let (grub, directory) = try load(script, files: files, uuid: uuid)
        // The entry runs on the same /boot: keep it until then.
        return try withExtendedLifetime(directory) { try grub.boot(try #require(grub.defaultEntry())) }
    }

    static func kinds(_ unknowns: [GrubUnknown]) -> [GrubUnknown.Kind] { unknowns.map(\.kind) }

    static let uuid = "7c9e8c0a-015c-6ad4-074e-5d25c78f02b4"

    /// What every genuine Fedora entry runs: module loads, the console,
    /// `search --set=root` for the boot partition by UUID. None influences
    /// the entry once the settings carry the partition's UUID.
    static let fedoraEntry = """
        function load_video { insmod all_video; }
        terminal_output console
        menuentry 'Qubes' {
          load_video
          set gfxpayload=keep
          insmod gzio
          insmod part_msdos
          insmod ext2
          set root='hd0,msdos1'
          if [ x$feature_platform_search_hint = xy ]; then
            search --no-floppy --fs-uuid --set=root --hint-bios=hd0,msdos1 \(uuid)
          else
            search --no-floppy --fs-uuid --set=root \(uuid)
          fi
          echo 'Loading Xen ...'
          multiboot2 /xen.gz placeholder console=none
          module2 /vmlinuz placeholder root=/dev/mapper/qubes_dom0-root
          module2 --nounzip /initramfs.img
        }
        """

    @Test func harmlessCommandsAndAResolvedSearchLeaveNothingUnknown() throws {
        let entry = try Self.boot(Self.fedoraEntry, uuid: Self.uuid.uppercased())
        #expect(entry.unknownInfluences.isEmpty, "\(entry.unknownInfluences)")
        #expect(entry.unknowns.isEmpty, "\(entry.unknowns)")
        #expect(entry.modules.map(\.path) == ["/vmlinuz", "/initramfs.img"])
    }

    /// Without the partition's UUID the search is unresolved: `root` is
    /// unknown, so is every file the entry reads through it.
    @Test func anUnresolvedSearchTaintsRootAndEveryFileLoaded() throws {
        let entry = try Self.boot(Self.fedoraEntry)
        #expect(Self.kinds(entry.unknownInfluences) == [.unresolvedSearch(variable: "root")])
        let other = try Self.boot(Self.fedoraEntry, uuid: "0123")
        #expect(Self.kinds(other.unknownInfluences) == [.unresolvedSearch(variable: "root")])
        // A search in another entry only taints that entry.
        let (grub, directory) = try Self.load(
            """
            menuentry 'A' { multiboot2 /xen.gz a }
            menuentry 'B' { search --fs-uuid --set=root 0123; multiboot2 /xen.gz b }
            """)
        defer { withExtendedLifetime(directory) {} }
        let (first, second) = (
            try grub.boot(try #require(grub.entry(named: "A"))), try grub.boot(try #require(grub.entry(named: "B")))
        )
        #expect(first.unknownInfluences.isEmpty)
        #expect(Self.kinds(second.unknownInfluences) == [.unresolvedSearch(variable: "root")])
    }

    /// Dependency tracking, not a blanket flag: a value set under an
    /// unknown condition taints only what uses it.
    @Test func aTaintedConditionTaintsOnlyWhatDependsOnIt() throws {
        let script = """
            if sha256sum -c $prefix/sums; then set xen_extra=iommu=0; fi
            menuentry 'uses it' { multiboot2 /xen.gz $xen_extra }
            menuentry 'does not' { multiboot2 /xen.gz }
            """
        let (grub, directory) = try Self.load(script)
        defer { withExtendedLifetime(directory) {} }
        let uses = try grub.boot(try #require(grub.entry(named: "uses it")))
        let doesNot = try grub.boot(try #require(grub.entry(named: "does not")))
        #expect(Self.kinds(uses.unknownInfluences) == [.unmodelledStatus("sha256sum")])
        #expect(uses.unknownInfluences.first?.line == 1)
        #expect(doesNot.unknownInfluences.isEmpty)
        // The branch that did not run here taints what it would have set.
        let inverted = try Self.boot(script.replacingOccurrences(of: "if sha256sum", with: "if ! sha256sum"))
        #expect(inverted.kernelArguments == [])
        #expect(Self.kinds(inverted.unknownInfluences) == [.unmodelledStatus("sha256sum")])
    }

    /// A harmless command's status decides nothing until a condition uses
    /// it: `loadfont` can fail, so `if loadfont` is an unknown there.
    @Test func aHarmlessCommandsStatusIsUnknownWhereAConditionUsesIt() throws {
        let quiet = try Self.boot("loadfont unicode\ninsmod gfxterm\nmenuentry 'A' { multiboot2 /xen.gz }")
        #expect(quiet.unknowns.isEmpty)
        let deciding = try Self.boot(
            "if loadfont unicode; then set default=1; fi\nmenuentry 'A' { multiboot2 /a.gz }\nmenuentry 'B' { multiboot2 /b.gz }"
        )
        #expect(deciding.title == "B")
        #expect(Self.kinds(deciding.unknownInfluences) == [.unmodelledStatus("loadfont")])
        // `$?` reads it too.
        let status = try Self.boot("insmod gfxterm\nset s=$?\nmenuentry 'A' { multiboot2 /a.gz $s }")
        #expect(Self.kinds(status.unknownInfluences) == [.unmodelledStatus("insmod")])
    }

    /// A menu item a tainted condition creates, or could have created,
    /// shifts GRUB's index: the choice depends on it when it stands at or
    /// before the chosen entry, not after.
    @Test func aTaintedMenuItemTaintsTheChoiceAtOrBeforeIt() throws {
        let before = try Self.boot(
            "if keystatus --shift; then menuentry 'rescue' { multiboot2 /r.gz }; fi\nmenuentry 'A' { multiboot2 /a.gz }\nset default=0"
        )
        #expect(before.title == "rescue")
        #expect(Self.kinds(before.unknownInfluences) == [.unmodelledStatus("keystatus")])
        let phantom = try Self.boot(
            "if ! keystatus --shift; then menuentry 'rescue' { multiboot2 /r.gz }; fi\nmenuentry 'A' { multiboot2 /a.gz }"
        )
        #expect(phantom.title == "A")
        #expect(Self.kinds(phantom.unknownInfluences) == [.unmodelledStatus("keystatus")])
        let after = try Self.boot(
            "menuentry 'A' { multiboot2 /a.gz }\nif keystatus --shift; then menuentry 'rescue' { multiboot2 /r.gz }; fi"
        )
        #expect(after.title == "A")
        #expect(after.unknownInfluences.isEmpty)
    }

    @Test func anUnmodelledCommandTaintsEverythingItsLevelChooses() throws {
        let entry = try Self.boot("menuentry 'A' { multiboot2 /a.gz }\nregexp --set=x '(.*)' abc")
        #expect(Self.kinds(entry.unknownInfluences) == [.unmodelledCommand("regexp")])
        // A function named like a GRUB command never runs in GRUB: the command does.
        let shadowed = try Self.boot("function regexp { set x=1; }\nregexp\nmenuentry 'A' { multiboot2 /a.gz $x }")
        #expect(Self.kinds(shadowed.unknownInfluences) == [.unmodelledCommand("regexp")])
        // One in an entry that is not chosen changes nothing.
        let elsewhere = try Self.boot("menuentry 'A' { multiboot2 /a.gz }\nmenuentry 'B' { boot }")
        #expect(elsewhere.unknownInfluences.isEmpty)
        #expect(elsewhere.unknowns.isEmpty)
    }

    /// `configfile` and its kin replace the menu: not followed, so what
    /// GRUB boots after one on the way to the entry is unknown.
    @Test(arguments: ["configfile /other.cfg", "normal /other.cfg", "blscfg", "extract_entries_source /other.cfg"])
    func menuReplacingCommandsAreUnknown(command: String) throws {
        let name = String(command.split(separator: " ")[0])
        let other = ["other.cfg": "menuentry 'O' { multiboot2 /o.gz }\n"]
        let top = try Self.boot("menuentry 'A' { multiboot2 /a.gz }\n\(command)", files: other)
        #expect(Self.kinds(top.unknownInfluences) == [.notFollowed(name)])
        let inEntry = try Self.boot("menuentry 'A' { multiboot2 /a.gz\n \(command) }", files: other)
        #expect(Self.kinds(inEntry.unknownInfluences) == [.notFollowed(name)])
        let (grub, directory) = try Self.load(
            "menuentry 'A' { multiboot2 /a.gz }\nmenuentry 'B' { \(command) }", files: other)
        #expect(try grub.boot(try #require(grub.defaultEntry())).unknownInfluences.isEmpty)
        withExtendedLifetime(directory) {}
        // A missing file makes no menu: GRUB goes on as if nothing happened.
        if command.hasSuffix("/other.cfg") {
            #expect(try Self.boot("menuentry 'A' { multiboot2 /a.gz }\n\(command)").unknowns.isEmpty)
        }
    }

    @Test func unsupportedTestOperatorsAreUnknownNotErrors() throws {
        let entry = try Self.boot(
            "if [ /a.gz -nt /b.gz ]; then set default=1; fi\nmenuentry 'A' { multiboot2 /a.gz }\nmenuentry 'B' { multiboot2 /b.gz }"
        )
        #expect(Self.kinds(entry.unknownInfluences) == [.unsupportedTest("-nt")])
    }

    @Test func anotherDeviceIsUnknown() throws {
        let entry = try Self.boot("menuentry 'A' { multiboot2 (hd1,msdos1)/xen.gz\n module2 ($root)/vmlinuz }")
        #expect(Self.kinds(entry.unknownInfluences) == [.otherDevice(path: "(hd1,msdos1)/xen.gz")])
        let root = try Self.boot("set root=hd1,gpt2\nmenuentry 'A' { multiboot2 /xen.gz }")
        #expect(Self.kinds(root.unknownInfluences) == [.otherDevice(path: "/xen.gz")])
        // `root`'s write hook drops parentheses, as GRUB's does.
        let parenthesized = try Self.boot("set root=(hd0,msdos1)\nmenuentry 'A' { multiboot2 /xen.gz }")
        #expect(parenthesized.unknownInfluences.isEmpty)
    }

    /// Only absence is absence: a sourced file or environment block that is
    /// there but cannot be read here is an unknown carrying the reason.
    @Test func onlyAnAbsentFileIsAbsent() throws {
        let script = """
            source $prefix/custom.cfg
            load_env -f $prefix/extra.env extra
            menuentry 'A' { multiboot2 /a.gz $extra }
            """
        let absent = try Self.boot(script)
        #expect(absent.unknowns.isEmpty)
        let directory = try TemporaryDirectory()
        try directory.write("grub2/grub.cfg", script)
        #expect(mkfifo(directory.path("grub2/custom.cfg"), 0o644) == 0)
        try FileManager.default.createSymbolicLink(
            atPath: directory.path("grub2/extra.env"), withDestinationPath: "extra.env")
        let grub = try GrubConfiguration.load(
            GrubEvaluationSettings(bootDirectory: directory.path, configurationFile: directory.path("grub2/grub.cfg")))
        let entry = try grub.boot(try #require(grub.defaultEntry()))
        guard entry.unknownInfluences.count == 2,
            case let .unreadableFile(fifoPath, fifoError) = entry.unknownInfluences[0].kind,
            case let .unreadableFile(loopPath, loopError) = entry.unknownInfluences[1].kind
        else {
            Issue.record("\(entry.unknownInfluences)")
            return
        }
        #expect(fifoPath == "(hd0,msdos1)/grub2/custom.cfg" && fifoError.reason == .notRegularFile(.fifo))
        #expect(loopPath == "(hd0,msdos1)/grub2/extra.env" && loopError.reason == .linkLoop)
        // A file over the size bound is not absent either.
        let large = try Self.boot(
            "source $prefix/big.cfg\nmenuentry 'A' { multiboot2 /a.gz }",
            files: ["grub2/big.cfg": String(repeating: "#", count: 5 << 20)])
        #expect(large.unknownInfluences.map(\.description).first?.contains("larger than 4194304 bytes") == true)
    }

    /// Bytes that are not UTF-8 (or a NUL, where GRUB's C strings stop)
    /// never reach the evaluation as replacement characters.
    @Test func invalidTextIsNeverDecodedWithReplacements() throws {
        let directory = try TemporaryDirectory()
        let configuration = try directory.write(
            "grub2/grub.cfg", Array("menuentry 'A' { multiboot2 /xen".utf8) + [0xC3, 0x28] + Array(".gz }\n".utf8))
        let settings = GrubEvaluationSettings(bootDirectory: directory.path, configurationFile: configuration)
        #expect(throws: GrubError.invalidEncoding(file: configuration, offset: 31)) {
            try GrubConfiguration.load(settings)
        }
        try directory.write("grub2/grub.cfg", "source $prefix/custom.cfg\nmenuentry 'A' { multiboot2 /a.gz $x }\n")
        try directory.write("grub2/custom.cfg", Array("set x=a".utf8) + [0] + Array("b\n".utf8))
        let entry = try GrubConfiguration.load(settings).boot(
            try #require(GrubConfiguration.load(settings).defaultEntry()))
        #expect(
            Self.kinds(entry.unknownInfluences) == [
                .invalidEncoding(file: "(hd0,msdos1)/grub2/custom.cfg", offset: 7)
            ])
        #expect(entry.kernelArguments == [])
    }

    /// `insmod datehook` gives `$HOUR` and kin the time of the boot.
    @Test func modulesThatDefineVariablesMakeThemUnknown() throws {
        let entry = try Self.boot(
            "insmod datehook\nif [ $HOUR -lt 12 ]; then set default=1; fi\nmenuentry 'A' { multiboot2 /a.gz }\nmenuentry 'B' { multiboot2 /b.gz }"
        )
        #expect(Self.kinds(entry.unknownInfluences) == [.unmodelledCommand("insmod datehook")])
    }
}
