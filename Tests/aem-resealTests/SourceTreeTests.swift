import AEMTestSupport
import Foundation
import Testing

/// Nothing the tests run writes into the source tree. `make test` runs
/// `Tests/tree-unchanged` around the whole suite; these check that script
/// on a scratch repository, and the one write into the tree found so far:
/// Debian's rpm making its database under the `--root` it is asked about.
@Suite struct SourceTreeTests {
    /// A git repository with one committed file and the script at the
    /// place it expects (`Tests/tree-unchanged`, beside the tree).
    static func scratchRepository() throws -> TemporaryDirectory {
        let repository = try TemporaryDirectory()
        try repository.write(
            "Tests/tree-unchanged",
            Array(try Data(contentsOf: URL(fileURLWithPath: Fixtures.project("Tests/tree-unchanged")))),
            mode: 0o755)
        try repository.write("kept.txt", "committed\n")
        try repository.write("dirty.txt", "committed\n")
        for arguments in [
            ["init", "-q"], ["add", "."],
            ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "scratch"],
        ] {
            try Command.check("git", ["-C", repository.path] + arguments)
        }
        return repository
    }

    @Test func treeUnchangedNamesEveryPathARunWroteAndPassesOtherwise() throws {
        let repository = try Self.scratchRepository()
        let script = repository.path("Tests/tree-unchanged")
        let state = repository.path(".git/state")
        // Changed before the run: a developer's work in progress.
        try repository.write("dirty.txt", "changed before the run\n")
        try Command.check(script, ["record", state])
        #expect(try Command.run(script, ["check", state]).status == 0)

        try repository.write("root/.rpmdb/rpmdb.sqlite", "written by the run\n")
        try repository.write("dirty.txt", "changed again by the run\n")
        let changed = try Command.run(script, ["check", state])
        #expect(changed.status == 1)
        #expect(changed.stderr.contains("root/.rpmdb/rpmdb.sqlite"), "\(changed.stderr)")
        #expect(changed.stderr.contains("dirty.txt"), "\(changed.stderr)")
        #expect(!changed.stderr.contains("kept.txt"), "\(changed.stderr)")
    }

    /// `predict --root` on the bundled example asks rpm about its files, and
    /// Debian's rpm makes `<root>/root/.rpmdb` for that: tests run it on a
    /// scratch copy (`Fixtures.scratchCopy`), and the example stays as
    /// committed.
    @Test func predictOnTheExampleWritesIntoItsCopyNotIntoTheSourceTree() throws {
        let example = try Fixtures.scratchCopy(of: "Examples/qubes-r4.2-tpm2")
        let result = try CLI.run([
            "predict", "--root", example.path, "--pcrs-file", example.path("current-boot/pcrs.yaml"),
            "--event-log", example.path("current-boot/drtm.log"), "--tboot-log",
            example.path("current-boot/txt-stat.txt"),
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: example.path("root/.rpmdb")), "the write the copy takes")
        #expect(!FileManager.default.fileExists(atPath: Fixtures.project("Examples/qubes-r4.2-tpm2/root")))
    }
}
