import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// grub.cfg as a Qubes 4.2 (Fedora 37) and 4.3 (Fedora 41) dom0 with AEM
/// writes it (Qubes' own grub2-mkconfig scripts, `Tests/Fixtures/README.md`):
/// the grubenv blocks of `00_header` and `10_reset_boot_success`, `search
/// --set=root` in every entry, `41_custom`'s `custom.cfg`. Given the boot
/// partition's UUID it evaluates with nothing unknown, as GRUB runs it on a
/// disk (grub-emu); an absent or genuine `custom.cfg` changes nothing; a
/// planted one is an unknown (a hash check) or is followed to the
/// attacker's entry exactly as GRUB follows it (a grubenv counter).
@Suite struct QubesGrubConfigurationTests {
    static let fixtures = ["grub-qubes/qubes-r4.2-aem.cfg", "grub-qubes/qubes-r4.3-aem.cfg"]
    /// The boot partition's file-system UUID the fixtures were made with.
    static let uuid = "2b7f5d3e-9c41-4f0a-8e6d-1a2b3c4d5e6f"
    static let deviceID = "5d0c3a8e-7b21-4e9f-a1c6-3f2e8d7b9a04"
    /// A grubenv after a good boot: the default is the AEM entry.
    static let environment = [
        "saved_entry": "xen-gnulinux-simple-\(deviceID)", "boot_success": "1",
    ]

    /// A /boot holding the fixture as `grub2/grub.cfg`, its grubenv and `aem/`.
    struct Boot {
        let directory: TemporaryDirectory
        var path: String { directory.path("partition") }

        init(_ fixture: String, files: [String: String] = [:]) throws {
            directory = try TemporaryDirectory()
            try directory.write("partition/grub2/grub.cfg", try Fixtures.bytes(fixture))
            try FileManager.default.createDirectory(
                atPath: directory.path("partition/aem"), withIntermediateDirectories: true)
            let grubenv = directory.path("partition/grub2/grubenv")
            try Command.check("grub-editenv", [grubenv, "create"])
            try Command.check(
                "grub-editenv",
                [grubenv, "set"] + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
            for (name, text) in files { try directory.write("partition/" + name, text) }
        }

        /// The project's settings: this machine's (`pc`), or grub-emu's.
        func settings(emu: Bool = false, uuid: String? = QubesGrubConfigurationTests.uuid) -> GrubEvaluationSettings {
            var settings =
                emu
                ? GrubEmuDifferentialTests.settings(
                    boot: path, configuration: path + "/grub2/grub.cfg", device: "hd0")
                : GrubEvaluationSettings(bootDirectory: path, configurationFile: path + "/grub2/grub.cfg")
            settings.bootPartitionUUID = uuid
            return settings
        }

        func defaultEntry(emu: Bool = false, uuid: String? = QubesGrubConfigurationTests.uuid) throws -> GrubBootEntry {
            let grub = try GrubConfiguration.load(settings(emu: emu, uuid: uuid))
            return try grub.boot(try #require(grub.defaultEntry()))
        }

        /// GRUB on this /boot as a disk (the fixture with the printing
        /// loaders around it): what it booted, and the files named after.
        func grub(reading names: [String]) throws -> (GrubEmu.Boot, [String: [UInt8]]) {
            try Command.check("cp", ["-a", path, directory.path("image")])
            let configuration = String(decoding: try directory.read("partition/grub2/grub.cfg"), as: UTF8.self)
            try directory.write("image/grub2/grub.cfg", GrubEmu.prelude + configuration + GrubEmu.epilogue)
            let disk = try GrubEmu.Disk(folder: directory.path("image"), uuid: QubesGrubConfigurationTests.uuid)
            let run = try disk.run()
            var files = [String: [UInt8]]()
            for name in names { files[name] = try disk.read(name) }
            return (run.boot, files)
        }

        /// The project's run in grub-emu's shape, and the blocks it leaves.
        func project(reading names: [String]) throws -> (GrubEmu.Boot, [String: [UInt8]], GrubBootEntry) {
            let grub = try GrubConfiguration.load(settings(emu: true))
            let selection = try #require(grub.defaultEntry())
            let run = try grub.run(selection)
            let calls = run.commands.filter { GrubEmu.loaderNames.contains($0.name) }.map {
                GrubEmu.LoaderCall(name: $0.name, arguments: $0.arguments)
            }
            var files = [String: [UInt8]]()
            for name in names {
                files[name] = try run.state.environment.written(name)?.bytes ?? directory.read("partition" + name)
            }
            return (GrubEmu.Boot(title: selection.entry.title, commands: calls), files, try grub.boot(selection))
        }

        /// GRUB and the project agree: the entry, its words, the blocks after.
        func expectAgreement(reading names: [String] = ["/grub2/grubenv"]) throws -> GrubBootEntry {
            let (grub, grubFiles) = try grub(reading: names)
            let (project, projectFiles, entry) = try project(reading: names)
            #expect(
                project.sameTitle(as: grub) && project.commands == grub.commands, "GRUB: \(grub)\nproject: \(project)")
            for name in names {
                let after = String(decoding: grubFiles[name] ?? [], as: UTF8.self)
                let predicted = String(decoding: projectFiles[name] ?? [], as: UTF8.self)
                #expect(
                    grubFiles[name] == projectFiles[name], "\(name) after GRUB:\n\(after)\npredicted:\n\(predicted)")
            }
            return entry
        }
    }

    @Test(arguments: fixtures)
    func evaluatesWithNothingUnknownGivenThePartitionsUUID(fixture: String) throws {
        let boot = try Boot(fixture)
        let entry = try boot.defaultEntry()
        #expect(entry.title == "AEM Qubes, with Xen hypervisor")
        #expect(entry.isAEMEntry && entry.modules.count == 4)
        #expect(entry.unknownInfluences.isEmpty, "\(entry.unknownInfluences)")
        #expect(entry.unknowns.isEmpty, "\(entry.unknowns)")
        // 10_reset_boot_success: GRUB resets boot_success at every boot.
        #expect(
            entry.environmentWrites.map { [$0.file, $0.name, $0.value ?? "(removed)"] } == [
                ["/grub2/grubenv", "boot_success", "0"], ["/grub2/grubenv", "boot_indeterminate", "0"],
            ])
        #expect(entry.environmentWrites.allSatisfy(\.influences.isEmpty) && entry.environmentUncertainty.isEmpty)
        // The real configuration stays far inside the budget.
        let grub = try GrubConfiguration.load(boot.settings())
        #expect(grub.state.budget.steps < grub.state.budget.maximumSteps / 100)
        #expect(grub.state.budget.scriptBytes < grub.state.budget.maximumScriptBytes / 100)
        // Without the UUID, every file the entry loads is read from a
        // `root` that search sets at boot.
        #expect(
            try boot.defaultEntry(uuid: nil).unknownInfluences.map(\.kind) == [.unresolvedSearch(variable: "root")])
    }

    @Test(arguments: fixtures)
    func runsAsGrubRunsItOnADisk(fixture: String) throws {
        let entry = try Boot(fixture).expectAgreement()
        #expect(entry.unknownInfluences.isEmpty, "\(entry.unknownInfluences)")
    }

    /// `41_custom` sources `custom.cfg` from `config_directory`: absent, or
    /// what a user puts there (another entry, a longer timeout), the
    /// default entry and what it loads stay the same.
    @Test(arguments: fixtures)
    func anAbsentOrGenuineCustomConfigurationChangesNothing(fixture: String) throws {
        let absent = try Boot(fixture)
        let genuine = try Boot(
            fixture,
            files: ["grub2/custom.cfg": "set timeout=10\nmenuentry 'Memory test' { linux16 /memtest86+.bin }\n"])
        let (without, with) = (try absent.defaultEntry(), try genuine.defaultEntry())
        #expect(with.title == without.title && with.kernelArguments == without.kernelArguments)
        #expect(with.modules == without.modules)
        #expect(with.unknownInfluences.isEmpty && without.unknownInfluences.isEmpty)
        #expect(with.configurationFiles.map(\.path).contains("/grub2/custom.cfg"))
        #expect(!without.configurationFiles.map(\.path).contains("/grub2/custom.cfg"))
        _ = try genuine.expectAgreement()
    }

    /// A GRUB password (grub2-setpassword's `user.cfg`, which `01_users`
    /// sources) and Fedora's boot counter (`08_fallback_counting`, run when
    /// grubenv holds `boot_counter` after a failed boot) change nothing the
    /// default entry loads: `password_pbkdf2` is harmless, `decrement`
    /// taints only the counter it changes, which GRUB saves.
    @Test(arguments: fixtures)
    func aPasswordAndTheBootCounterLeaveTheEntryKnown(fixture: String) throws {
        let password = try Boot(
            fixture, files: ["grub2/user.cfg": "GRUB2_PASSWORD=grub.pbkdf2.sha512.10000.0011.2233\n"])
        let protected = try password.defaultEntry()
        #expect(protected.unknownInfluences.isEmpty && protected.unknowns.isEmpty, "\(protected.unknowns)")
        #expect(protected.configurationFiles.map(\.path).contains("/grub2/user.cfg"))
        let counting = try Boot(fixture)
        let grubenv = counting.path + "/grub2/grubenv"
        try Command.check("grub-editenv", [grubenv, "set", "boot_counter=3", "boot_success=0"])
        let entry = try counting.defaultEntry()
        #expect(entry.title == "AEM Qubes, with Xen hypervisor")
        #expect(entry.unknownInfluences.isEmpty, "\(entry.unknownInfluences)")
        #expect(entry.unknowns.map(\.kind) == [.unmodelledCommand("decrement")])
        let saved = try #require(entry.environmentWrites.first { $0.name == "boot_counter" })
        #expect(saved.influences.map(\.kind) == [.unmodelledCommand("decrement")])
    }

    /// The attacker's entry: the genuine files, Xen without the IOMMU and
    /// dom0 stopping in its initramfs.
    static let attackerEntry = """
        menuentry 'AEM Qubes, with Xen hypervisor' --id attacker {
          multiboot /tboot.gz placeholder logging=memory,serial
          module /xen.gz placeholder iommu=0
          module /vmlinuz placeholder rd.break
          module /initramfs.img
        }
        """

    /// A planted `custom.cfg` that takes the attacker's entry once the
    /// initramfs no longer matches a hash taken now (an update rebuilt
    /// it): what `sha256sum --check` says at boot is unknown, and the
    /// default entry says so.
    @Test(arguments: fixtures)
    func aPlantedHashCheckIsAnUnknownThatDecidesTheEntry(fixture: String) throws {
        let boot = try Boot(
            fixture,
            files: [
                "grub2/custom.cfg": """
                if ! sha256sum --check --prefix=($root) ${config_directory}/initramfs.sha256; then
                \(Self.attackerEntry)
                  set default=attacker
                fi
                """,
                "grub2/initramfs.sha256": "0000  /initramfs.img\n",
            ])
        let entry = try boot.defaultEntry()
        #expect(entry.unknownInfluences.map(\.kind) == [.unmodelledStatus("sha256sum")], "\(entry.unknownInfluences)")
        #expect(entry.unknownInfluences.first?.file.hasSuffix("/grub2/custom.cfg") == true)
    }

    /// A planted `custom.cfg` that counts boots in its own environment
    /// block and takes the attacker's entry when the count reaches 2, with
    /// a `save_env` read back by a `load_env` in the same boot: followed to
    /// that entry exactly as GRUB follows it, the block left as GRUB leaves it.
    @Test(arguments: fixtures)
    func aPlantedGrubenvCounterIsFollowedAsGrubFollowsIt(fixture: String) throws {
        let counter = """
            load_env -f ${config_directory}/counter.env n
            if [ "$n" = "1" ]; then set n=2; save_env -f ${config_directory}/counter.env n; fi
            unset n
            load_env -f ${config_directory}/counter.env n
            if [ "$n" = "2" ]; then
            \(Self.attackerEntry)
              set default=attacker
            fi
            """
        let block = "# GRUB Environment Block\nn=1\n" + String(repeating: "#", count: 995)
        let boot = try Boot(fixture, files: ["grub2/custom.cfg": counter, "grub2/counter.env": block])
        let entry = try boot.expectAgreement(reading: ["/grub2/grubenv", "/grub2/counter.env"])
        #expect(entry.id == "attacker" && entry.modules[0].arguments == ["placeholder", "iommu=0"])
        #expect(entry.unknownInfluences.isEmpty, "\(entry.unknownInfluences)")
        #expect(
            entry.environmentWrites.contains { $0.file == "/grub2/counter.env" && $0.name == "n" && $0.value == "2" })
    }
}
