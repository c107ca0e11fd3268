import AEMCore
import Foundation

/// A real rpm package built with `rpmbuild` and installed with `rpm`, as a
/// dom0 update installs one: its files carry the package's build time
/// (2024-01-01 here), not the install time.
public struct TestPackage {
    /// Files of the package: path in the root (`/boot/xen-4.17.4.gz`) → content.
    public var name: String
    public var version: String
    public var files: [String: [UInt8]]
    /// The package's `%post` scriptlet (shell), if it has one.
    public var post: String?

    /// 2024-01-01T00:00:00Z: the build time stored for every file.
    public static let buildTime: TimeInterval = 1_704_067_200

    public init(name: String, version: String, files: [String: [UInt8]], post: String? = nil) {
        self.name = name
        self.version = version
        self.files = files
        self.post = post
    }

    /// Builds the package in `work`; returns the .rpm file.
    public func build(in work: TemporaryDirectory) throws -> String {
        let top = work.path("rpmbuild-\(name)-\(version)")
        for folder in ["SOURCES", "SPECS", "BUILD", "RPMS", "SRPMS", "BUILDROOT"] {
            try FileManager.default.createDirectory(atPath: top + "/" + folder, withIntermediateDirectories: true)
        }
        var install = ""
        for (index, (path, content)) in files.sorted(by: { $0.key < $1.key }).enumerated() {
            try Data(content).write(to: URL(fileURLWithPath: top + "/SOURCES/file\(index)"))
            install += "mkdir -p %{buildroot}\((path as NSString).deletingLastPathComponent)\n"
            install += "cp %{_sourcedir}/file\(index) %{buildroot}\(path)\n"
            install += "touch -d @\(Int(Self.buildTime)) %{buildroot}\(path)\n"
        }
        let spec = """
            Name: \(name)
            Version: \(version)
            Release: 1
            Summary: aem-reseal test package
            License: GPL-2.0-only
            BuildArch: noarch
            %description
            A test package.
            %install
            \(install)
            %files
            \(files.keys.sorted().joined(separator: "\n"))

            """ + (post.map { "%post\n\($0)\n" } ?? "")
        let specFile = top + "/SPECS/\(name).spec"
        try Data(spec.utf8).write(to: URL(fileURLWithPath: specFile))
        try Command.check(
            "rpmbuild",
            [
                "-bb", "--define", "_topdir \(top)", "--define", "debug_package %{nil}", "--define",
                "__os_install_post %{nil}",
                "--define", "_build_id_links none", specFile,
            ],
            environment: ["SOURCE_DATE_EPOCH": String(Int(Self.buildTime))])
        return top + "/RPMS/noarch/\(name)-\(version)-1.noarch.rpm"
    }

    /// Built packages, by name, version and content: the test worlds
    /// install the same Xen and kernels again and again.
    private static let cache = PackageCache()

    /// Builds the package once per process (by name, version and content).
    public func buildCached() throws -> String {
        let key =
            "\(name)-\(version)-"
            + HashAlgorithm.sha256.hash(
                files.sorted { $0.key < $1.key }.flatMap {
                    Array($0.key.utf8) + [0] + HashAlgorithm.sha256.hash($0.value).bytes
                } + Array((post ?? "").utf8)
            ).hex.prefix(16)
        return try Self.cache.rpm(for: key) { work in try build(in: work) }
    }

    /// The files rpm lists for a package: what a file trigger is given.
    public static func fileList(of rpm: String) throws -> [String] {
        try Command.check("rpm", ["-qlp", rpm]).split(separator: "\n").map(String.init)
    }

    /// Installs or upgrades (removing the older version's files) into `root`.
    /// Scriptlets are not run: they would run chrooted into the test root.
    /// `replacing` installs over files another package already owns.
    public static func install(_ rpm: String, root: String, upgrade: Bool = false, replacing: Bool = false) throws {
        if !FileManager.default.fileExists(atPath: root + "/var/lib/rpm") {
            try Command.check("rpm", ["--root", root, "--initdb"])
        }
        try Command.check(
            "rpm",
            [upgrade ? "-U" : "-i", "--root", root, "--nodeps", "--noscripts", "--oldpackage"]
                + (replacing ? ["--replacefiles", "--replacepkgs"] : []) + [rpm])
    }
}

/// Built rpm files kept for the life of the test process.
private final class PackageCache: @unchecked Sendable {
    private let lock = NSLock()
    private var built: [String: String] = [:]
    private let folder = try! TemporaryDirectory()

    func rpm(for key: String, build: (TemporaryDirectory) throws -> String) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let path = built[key] { return path }
        let work = try TemporaryDirectory(keeping: folder.path("\(built.count)"))
        let path = try build(work)
        built[key] = path
        return path
    }
}
