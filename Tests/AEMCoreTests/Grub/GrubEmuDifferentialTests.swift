import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// GRUB's own script engine (grub-emu, GRUB 2.06) is the judge of the
/// project's GRUB evaluation: for every configuration, the entry GRUB boots
/// and each loader command's words must be the project's, word for word.
/// Where they differ, GRUB is right.
@Suite struct GrubEmuDifferentialTests {
    /// Generated configurations per run: a few hundred in `make test`, more
    /// under `make fuzz` (which sets AEM_GRUB_EMU_CASES).
    static let generatedCases = Int(ProcessInfo.processInfo.environment["AEM_GRUB_EMU_CASES"] ?? "") ?? 300
    /// Where a run starts in the seed space (`make fuzz` moves it on).
    static let firstSeed = UInt64(ProcessInfo.processInfo.environment["AEM_GRUB_EMU_FIRST_SEED"] ?? "") ?? 0

    /// Real configurations: the shipped generator's samples, the example
    /// /boot, the fuzz seeds and the differences found so far.
    static let corpus: [String] =
        [
            "grub-snippets/samples/qubes-r4.2-aem.cfg",
            "Examples/qubes-r4.2-tpm2/boot/grub2/grub.cfg",
            "Fuzz/corpus/grub-cfg/features.cfg",
            "Fuzz/corpus/grub-cfg/qubes.cfg",
        ]
        + ((try? FileManager.default.contentsOfDirectory(atPath: Fixtures.project(regressions))) ?? [])
        .filter { $0.hasSuffix(".cfg") }.sorted().map { "\(regressions)/\($0)" }

    @Test func regressionCorpusIsPresent() {
        #expect(Self.corpus.count >= 14)
    }
    static let regressions = "Tests/Fixtures/grub-emu-regressions"

    /// The project as grub-emu runs: its platform, and the host file
    /// system as `root`, or the disk image's `(hd0)`.
    static func settings(boot: String, configuration: String, device: String) -> GrubEvaluationSettings {
        GrubEvaluationSettings(
            bootDirectory: boot, configurationFile: configuration, platform: "emu", cpu: "x86_64", bootDevice: device)
    }

    /// One configuration through GRUB and through the project: what each
    /// booted, and on a disk image also the environment block GRUB left
    /// behind and the one the project predicts.
    struct Comparison {
        var grub: GrubEmu.Run
        var project: Result<GrubEmu.Boot, GrubError>
        /// `grub2/grubenv` after GRUB ran, and as the project says GRUB
        /// leaves it (nil: not on a disk, or no block).
        var environment: (grub: [UInt8], project: [UInt8])?
        /// The unknowns the project met that could change the entry.
        var influences: [GrubUnknown]
    }

    /// Runs one configuration through GRUB and through the project. On the
    /// host file system (`onDisk` false) the files lie beside `grub.cfg`;
    /// on a disk image they lie in `/grub2` with it, and GRUB's `save_env`
    /// writes the image.
    static func compare(
        _ configuration: String, files: [String: String] = [:], environment: [String: String]? = nil,
        onDisk: Bool = false
    ) throws -> Comparison {
        let directory = try TemporaryDirectory()
        let folder = onDisk ? "partition/grub2/" : ""
        for (name, text) in files { try directory.write(folder + name, text) }
        if let environment {
            let block = directory.path(folder + "grubenv")
            try FileManager.default.createDirectory(
                atPath: (block as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Command.check("grub-editenv", [block, "create"])
            if !environment.isEmpty {
                try Command.check(
                    "grub-editenv",
                    [block, "set"] + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
            }
        }
        guard onDisk else {
            // Both files exist for both runs (a configuration may test for them).
            try directory.write("original.cfg", configuration)
            try directory.write("grub.cfg", GrubEmu.prelude + configuration + GrubEmu.epilogue)
            let project = projectBoot(
                settings(boot: "/", configuration: directory.path("original.cfg"), device: "host"))
            return Comparison(
                grub: try GrubEmu.run(folder: directory.path), project: project.map(\.boot),
                influences: (try? project.get())?.influences ?? [])
        }
        try directory.write("partition/grub2/grub.cfg", configuration)
        try Command.check("cp", ["-a", directory.path("partition"), directory.path("image")])
        try directory.write("image/grub2/grub.cfg", GrubEmu.prelude + configuration + GrubEmu.epilogue)
        let disk = try GrubEmu.Disk(folder: directory.path("image"))
        let project = projectBoot(
            settings(
                boot: directory.path("partition"), configuration: directory.path("partition/grub2/grub.cfg"),
                device: "hd0"))
        let grub = try disk.run()
        var blocks: (grub: [UInt8], project: [UInt8])?
        if environment != nil {
            let original = try directory.read("partition/grub2/grubenv")
            let written = (try? project.get())?.blocks["/grub2/grubenv"]?.bytes ?? original
            blocks = (try disk.read("/grub2/grubenv"), written)
        }
        return Comparison(
            grub: grub, project: project.map(\.boot), environment: blocks,
            influences: (try? project.get())?.influences ?? [])
    }

    /// What the project says GRUB does with a configuration.
    struct ProjectRun {
        var boot: GrubEmu.Boot
        /// The environment blocks as GRUB leaves them, by path in the partition.
        var blocks: [String: GrubEnvironmentBlock]
        var influences: [GrubUnknown]
    }

    /// The project's answer in the oracle's shape, or the error it refused with.
    static func projectBoot(_ settings: GrubEvaluationSettings) -> Result<ProjectRun, GrubError> {
        Result { () throws(GrubError) -> ProjectRun in
            let grub = try GrubConfiguration.load(settings)
            guard let selection = grub.defaultEntry() else {
                return ProjectRun(
                    boot: GrubEmu.Boot(title: nil, commands: []), blocks: grub.state.environment.blocks,
                    influences: grub.unknowns)
            }
            let run = try grub.run(selection)
            let commands = run.commands
                .filter { GrubEmu.loaderNames.contains($0.name) }
                .map { GrubEmu.LoaderCall(name: $0.name, arguments: $0.arguments) }
            return ProjectRun(
                boot: GrubEmu.Boot(title: selection.entry.title, commands: commands),
                blocks: run.state.environment.blocks, influences: run.influences)
        }
    }

    /// Agreement: the same entry and the same words, and on a disk the same
    /// environment block; or a syntax error that GRUB reported and the
    /// project refused the configuration for (GRUB skips the statement, the
    /// project will not guess past it).
    static func difference(_ comparison: Comparison) -> String? {
        let grub = comparison.grub
        switch comparison.project {
        case let .success(boot):
            let same = boot.commands == grub.boot.commands && boot.sameTitle(as: grub.boot)
            guard same else { return "GRUB: \(grub.boot)\nproject: \(boot)" }
            if let (grubBlock, projectBlock) = comparison.environment, grubBlock != projectBlock {
                return "grubenv after GRUB:\n\(String(decoding: grubBlock, as: UTF8.self))\n"
                    + "grubenv the project predicts:\n\(String(decoding: projectBlock, as: UTF8.self))"
            }
            return nil
        case let .failure(error):
            if grub.reportedSyntaxError, case .syntax = error { return nil }
            return "GRUB: \(grub.boot)\nproject refused: \(error)"
        }
    }

    @Test func oracleSeesEveryWordAsGrubPassesIt() throws {
        // A known answer, independent of the project: GRUB splits an
        // unquoted variable, keeps a quoted one whole, drops an empty
        // unquoted one and keeps "" as an empty word. A word longer than
        // GRUB's 80-column console, spaces doubled across the wraps, comes
        // back whole.
        let long = (0..<30).map { "w\($0)" + String(repeating: " ", count: $0 % 3 + 1) }.joined()
        let grub = try Self.compare(
            """
            set x="a b"
            set e=
            menuentry 'T' {
              multiboot2 /xen.gz $x "$x" $e "" 'q"uo' c\\ d
              module2 /k "\(long)" -x
            }
            """
        ).grub
        #expect(grub.boot.title == "T")
        #expect(
            grub.boot.commands == [
                .init(name: "multiboot2", arguments: ["/xen.gz", "a", "b", "a b", "", "q\"uo", "c d"]),
                .init(name: "module2", arguments: ["/k", long, "-x"]),
            ])
    }

    @Test(arguments: corpus)
    func realConfigurationAgreesWithGrub(path: String) throws {
        let text = try String(contentsOfFile: Fixtures.project(path), encoding: .utf8)
        let besides = (Fixtures.project(path) as NSString).deletingLastPathComponent
        var files = [String: String]()
        if let grubenv = try? String(contentsOfFile: besides + "/grubenv", encoding: .utf8) {
            files["grubenv"] = grubenv
        }
        let comparison = try Self.compare(text, files: files)
        #expect(comparison.grub.boot.title != nil, "GRUB booted nothing: \(path)")
        let difference = Self.difference(comparison)
        #expect(difference == nil, "\(path)\n\(difference ?? "")")
    }

    @Test func generatedConfigurationsAgreeWithGrub() throws {
        var differences = [String]()
        var booted = 0
        for seed in Self.firstSeed..<(Self.firstSeed + UInt64(Self.generatedCases)) {
            var generator = GrubConfigGenerator(seed: seed)
            let generated = generator.generate()
            let comparison = try Self.compare(
                generated.configuration, files: generated.files,
                environment: generated.hasEnvironmentBlock ? generated.environment : nil, onDisk: generated.onDisk)
            if comparison.grub.boot.title != nil { booted += 1 }
            // Everything the generator writes is modelled: nothing may be unknown.
            if !comparison.influences.isEmpty {
                differences.append("seed \(seed): unknowns \(comparison.influences)\n\(generated.configuration)")
            }
            if let difference = Self.difference(comparison) {
                let files = generated.files.sorted { $0.key < $1.key }.map { "--- \($0.key):\n\($0.value)\n" }.joined()
                let environment = generated.environment.isEmpty ? "" : "--- grubenv: \(generated.environment)\n"
                differences.append(
                    "seed \(seed):\n\(generated.configuration)\(files)\(environment)\n\(difference)")
            }
        }
        // The generator must exercise booting, not only menus GRUB rejects.
        #expect(booted * 10 >= Self.generatedCases * 9, "GRUB booted only \(booted) of \(Self.generatedCases)")
        #expect(
            differences.isEmpty,
            "\(differences.count) of \(Self.generatedCases) differ; first:\n\(differences.prefix(3).joined(separator: "\n\n"))"
        )
    }
}
