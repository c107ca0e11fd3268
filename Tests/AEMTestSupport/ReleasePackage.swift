import Foundation

/// The dom0 package `make rpm` built around the release binary. `make test`
/// builds it before the tests run and names it in `AEM_RESEAL_RPM`; run
/// alone, the tests that need it fail and say so (they never skip).
public enum ReleasePackage {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String {
            "AEM_RESEAL_RPM names no package: run `make test` (it builds the package first), "
                + "or `make rpm` and set AEM_RESEAL_RPM to the path it prints"
        }
    }

    /// The package's path.
    public static func path() throws -> String {
        guard let path = ProcessInfo.processInfo.environment["AEM_RESEAL_RPM"], !path.isEmpty,
            FileManager.default.fileExists(atPath: path)
        else { throw Missing() }
        return path
    }

    /// The debuginfo package rpmbuild split off beside it, if there is one.
    public static func debuginfoPath() throws -> String? {
        let package = try path()
        let folder = (package as NSString).deletingLastPathComponent
        let name = (package as NSString).lastPathComponent.replacingOccurrences(
            of: "aem-reseal-", with: "aem-reseal-debuginfo-")
        return FileManager.default.fileExists(atPath: folder + "/" + name) ? folder + "/" + name : nil
    }

    /// Installs the package with the real `rpm` into `root` (a fresh rpm
    /// database there; no dependencies, no scriptlets: nothing of dom0 is
    /// there to run them against).
    public static func unpack(into root: String) throws {
        try Command.check("rpm", ["--root", root, "--initdb"])
        try Command.check("rpm", ["--root", root, "-i", "--nodeps", "--noscripts", try path()])
    }

    /// A scriptlet of the package, as rpm runs it (`postin`, `preun`, ...).
    public static func scriptlet(_ tag: String) throws -> String {
        try Command.check("rpm", ["-qp", "--queryformat", "%{\(tag.uppercased())}", try path()])
    }
}
