import Foundation

/// Paths of the project and of its vendored test fixtures (`Tests/Fixtures`,
/// each with its provenance and licence in `Tests/Fixtures/README.md`).
/// A missing fixture throws: a test never skips for want of one.
public enum Fixtures {
    public static let projectRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    public static let root = projectRoot.appendingPathComponent("Tests/Fixtures")

    public static func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    public static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(relative)))
    }

    public static func files(in folder: String, suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path(folder))
            .filter { $0.hasSuffix(suffix) }
            .sorted()
            .map { "\(folder)/\($0)" }
    }

    /// A file of the project itself (grub-snippets, Examples).
    public static func project(_ relative: String) -> String {
        projectRoot.appendingPathComponent(relative).path
    }

    /// A scratch copy of a folder of the project (the bundled example), for
    /// a run that may write into it: nothing is written into the source
    /// tree. The tool's `--root` is such a folder, and Debian's rpm, asked
    /// about the files under a root, makes its database there (`~/.rpmdb`:
    /// `<root>/root/.rpmdb`).
    public static func scratchCopy(of relative: String) throws -> TemporaryDirectory {
        let copy = try TemporaryDirectory()
        try Command.check("cp", ["-a", project(relative) + "/.", copy.path])
        return copy
    }
}
