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

    /// Runs one configuration through GRUB and through the project.
    static func compare(
        _ configuration: String, files: [String: String] = [:], environment: [String: String] = [:]
    ) throws -> (grub: GrubEmu.Run, project: Result<GrubEmu.Boot, GrubError>) {
        let directory = try TemporaryDirectory()
        for (name, text) in files { try directory.write(name, text) }
        if !environment.isEmpty {
            let block = directory.path("grubenv")
            try Command.check("grub-editenv", [block, "create"])
            try Command.check(
                "grub-editenv", [block, "set"] + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        }
        // Both files exist for both runs (a configuration may test for them).
        try directory.write("original.cfg", configuration)
        try directory.write("grub.cfg", GrubEmu.prelude + configuration + GrubEmu.epilogue)
        // The project first: GRUB's save_env may rewrite grubenv.
        let project = projectBoot(
            GrubEvaluationSettings(bootDirectory: "/", configurationFile: directory.path("original.cfg")))
        return (try GrubEmu.run(folder: directory.path), project)
    }

    /// The project's answer in the oracle's shape, or the error it refused with.
    static func projectBoot(_ settings: GrubEvaluationSettings) -> Result<GrubEmu.Boot, GrubError> {
        Result { () throws(GrubError) -> GrubEmu.Boot in
            let grub = try GrubConfiguration.load(settings)
            guard let selection = grub.defaultEntry() else { return GrubEmu.Boot(title: nil, commands: []) }
            let commands = try grub.run(selection).commands
                .filter { GrubEmu.loaderNames.contains($0.name) }
                .map { GrubEmu.LoaderCall(name: $0.name, arguments: $0.arguments) }
            return GrubEmu.Boot(title: selection.entry.title, commands: commands)
        }
    }

    /// Agreement: the same entry and the same words; or a syntax error
    /// that GRUB reported and the project refused the configuration for
    /// (GRUB skips the statement, the project will not guess past it).
    static func difference(_ grub: GrubEmu.Run, _ project: Result<GrubEmu.Boot, GrubError>) -> String? {
        switch project {
        case let .success(boot):
            let same = boot.commands == grub.boot.commands && boot.sameTitle(as: grub.boot)
            return same ? nil : "GRUB: \(grub.boot)\nproject: \(boot)"
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
        let (grub, _) = try Self.compare(
            """
            set x="a b"
            set e=
            menuentry 'T' {
              multiboot2 /xen.gz $x "$x" $e "" 'q"uo' c\\ d
              module2 /k "\(long)" -x
            }
            """)
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
        let (grub, project) = try Self.compare(text, files: files)
        #expect(grub.boot.title != nil, "GRUB booted nothing: \(path)")
        let difference = Self.difference(grub, project)
        #expect(difference == nil, "\(path)\n\(difference ?? "")")
    }

    @Test func generatedConfigurationsAgreeWithGrub() throws {
        var differences = [String]()
        var booted = 0
        for seed in Self.firstSeed..<(Self.firstSeed + UInt64(Self.generatedCases)) {
            var generator = GrubConfigGenerator(seed: seed)
            let generated = generator.generate()
            let (grub, project) = try Self.compare(
                generated.configuration, files: generated.files, environment: generated.environment)
            if grub.boot.title != nil { booted += 1 }
            if let difference = Self.difference(grub, project) {
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
