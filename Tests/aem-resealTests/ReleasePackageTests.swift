import AEMTestSupport
import Foundation
import Testing

/// The package a dom0 installs, as `make rpm` built it: what it requires
/// (judged against packaging/dom0-compatibility), what it carries, and a
/// release binary without test hooks.
@Suite struct ReleasePackageTests {
    @Test func requiresOnlyWhatEverySupportedDom0Provides() throws {
        let list = try Dom0Compatibility.load()
        let requirements = try Command.check("rpm", ["-qpR", try ReleasePackage.path()])
            .split(separator: "\n").map(String.init)
        #expect(requirements.contains("libc.so.6()(64bit)"), "rpm derived no library requirements: \(requirements)")
        for requirement in requirements {
            #expect(list.violation(ofRequirement: requirement) == nil, "\(list.violation(ofRequirement: requirement)!)")
        }
    }

    /// The binary's own ELF needs, read with readelf (rpm derives its
    /// requirements from them, but a build could strip or fake those).
    @Test func binaryNeedsNoNewerSymbolThanFedora37Has() throws {
        let root = try TemporaryDirectory()
        try ReleasePackage.unpack(into: root.path)
        let binary = root.path("usr/bin/aem-reseal")
        let list = try Dom0Compatibility.load()
        let needed = try Dom0Compatibility.neededLibraries(ofELF: binary)
        #expect(needed.contains("libtss2-esys.so.0") && needed.contains("libc.so.6"), "\(needed)")
        for library in needed {
            #expect(list.violation(ofLibrary: library, version: nil) == nil, "\(library)")
        }
        let needs = try Dom0Compatibility.versionNeeds(ofELF: binary)
        #expect(needs["libc.so.6"]?.contains("GLIBC_2.2.5") == true, "readelf -V was not read: \(needs)")
        for (library, versions) in needs {
            for version in versions {
                let violation = list.violation(ofLibrary: library, version: version)
                #expect(violation == nil, "\(library): \(violation ?? "")")
            }
        }
    }

    /// The check itself: what Fedora 37 lacks is caught.
    @Test func theListCatchesWhatFedora37Lacks() throws {
        let list = try Dom0Compatibility.load()
        // glibc 2.36 is Fedora 37's; 2.38 came with Fedora 39.
        #expect(list.violation(ofRequirement: "libc.so.6(GLIBC_2.36)(64bit)") == nil)
        #expect(list.violation(ofRequirement: "libc.so.6(GLIBC_2.38)(64bit)") != nil)
        #expect(list.violation(ofRequirement: "libc.so.6(GLIBC_PRIVATE)(64bit)") != nil)
        // GCC 13's libstdc++ added GLIBCXX_3.4.31.
        #expect(list.violation(ofRequirement: "libstdc++.so.6(GLIBCXX_3.4.31)(64bit)") != nil)
        #expect(list.violation(ofRequirement: "libswiftCore.so()(64bit)") != nil)
        #expect(list.violation(ofRequirement: "python3") != nil)
        #expect(list.violation(ofRequirement: "rpmlib(FileDigests) <= 4.6.0-1") == nil)
    }

    @Test func carriesTheToolItsServiceTriggerAndLicence() throws {
        let rpm = try ReleasePackage.path()
        let root = try TemporaryDirectory()
        try ReleasePackage.unpack(into: root.path)
        for path in [
            "usr/bin/aem-reseal", "usr/libexec/aem-reseal/rpm-trigger", "usr/libexec/aem-reseal/record-at-install",
            "usr/lib/systemd/system/aem-reseal-record.service", "usr/lib/systemd/system-preset/80-aem-reseal.preset",
            "usr/share/man/man1/aem-reseal.1.gz", "usr/share/bash-completion/completions/aem-reseal",
            "usr/share/zsh/site-functions/_aem-reseal", "usr/share/licenses/aem-reseal/LICENSE",
            "usr/share/doc/aem-reseal/README.md",
        ] {
            #expect(FileManager.default.fileExists(atPath: root.path(path)), "\(path)")
        }
        #expect(!FileManager.default.fileExists(atPath: root.path("etc/dnf")), "no needs-restarting file")
        let state = try FileManager.default.attributesOfItem(atPath: root.path("var/lib/aem-reseal"))
        #expect((state[.posixPermissions] as? Int) == 0o700)
        // brp-compress ran (with bash: Debian's /bin/sh would skip it).
        #expect(try Command.run("gzip", ["-t", root.path("usr/share/man/man1/aem-reseal.1.gz")]).status == 0)
        // A completion file is sourced: no shebang, not executable.
        let completion = root.path("usr/share/bash-completion/completions/aem-reseal")
        #expect(try !String(contentsOfFile: completion, encoding: .utf8).hasPrefix("#!"))
        #expect((try FileManager.default.attributesOfItem(atPath: completion)[.posixPermissions] as? Int) == 0o644)

        let tags = try Command.check("rpm", ["-qp", "--queryformat", "%{LICENSE}|%{URL}|%{RELEASE}", rpm])
        #expect(tags == "GPL-2.0-or-later|(none)|1.qubes4", "the project's own licence, no other project's URL")
        let licence = try String(contentsOfFile: root.path("usr/share/licenses/aem-reseal/LICENSE"), encoding: .utf8)
        #expect(licence.contains("GNU GENERAL PUBLIC LICENSE") && licence.contains("Version 2, June 1991"))
    }

    /// The file triggers and scriptlets as `rpm -qp` shows them: Fedora's
    /// systemd scriptlets (preset on the first install, disable and stop on
    /// the last removal, a daemon-reload and no restart on upgrade), and
    /// the post-uninstall trigger beside the installing one.
    @Test func scriptletsAreFedorasAndBothFileTriggersAreThere() throws {
        let rpm = try ReleasePackage.path()
        let triggers = try Command.check("rpm", ["-qp", "--filetriggers", rpm])
        for kind in ["transfiletriggerin", "transfiletriggerpostun"] {
            let line = triggers.split(separator: "\n").first { $0.hasPrefix(kind + " ") }
            #expect(line?.hasSuffix("-- /boot, /etc/default, /etc/grub.d") == true, "\(kind): \(triggers)")
        }
        let commands = triggers.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.contains("scriptlet") }
        #expect(
            commands == [
                "/usr/libexec/aem-reseal/rpm-trigger \"$PPID\"",
                "/usr/libexec/aem-reseal/rpm-trigger \"$PPID\" --removed",
            ], "\(triggers)")

        // Each scriptlet holds its own comments, not the next one's.
        for tag in ["postin", "preun", "postun"] {
            #expect(try !ReleasePackage.scriptlet(tag).contains("trigger"), "\(tag)")
        }
        let post = try ReleasePackage.scriptlet("postin")
        #expect(post.contains("if [ $1 -eq 1 ]"), "\(post)")
        #expect(post.contains("systemd-update-helper install-system-units aem-reseal-record.service"), "\(post)")
        #expect(post.contains("/usr/libexec/aem-reseal/record-at-install"))
        let preun = try ReleasePackage.scriptlet("preun")
        #expect(preun.contains("if [ $1 -eq 0 ]"), "\(preun)")
        #expect(preun.contains("systemd-update-helper remove-system-units aem-reseal-record.service"), "\(preun)")
        let postun = try ReleasePackage.scriptlet("postun")
        #expect(postun.contains("systemd-update-helper mark-reload-system-units aem-reseal-record.service"))
        #expect(!postun.contains("restart-system-units") && !postun.contains("try-restart"), "\(postun)")

        let requirements = try Command.check(
            "rpm", ["-qp", "--queryformat", "[%{REQUIRENAME} %{REQUIREFLAGS:deptype}\\n]", rpm])
        for phase in ["post", "preun", "postun"] {
            #expect(requirements.contains("systemd \(phase)"), "Requires(\(phase)): systemd: \(requirements)")
        }
        #expect(requirements.contains("grep post") && requirements.contains("coreutils post"))
    }

    /// The Swift runtime linked in, and no test hook (the fault points) in
    /// the binary dom0 runs.
    @Test func binaryIsTheReleaseBuildWithoutTestHooks() throws {
        let root = try TemporaryDirectory()
        try ReleasePackage.unpack(into: root.path)
        let binary = root.path("usr/bin/aem-reseal")
        let needed = try Dom0Compatibility.neededLibraries(ofELF: binary)
        #expect(!needed.contains { $0.hasPrefix("libswift") || $0.hasPrefix("libFoundation") }, "\(needed)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: binary))
        #expect(bytes.range(of: Data("AEM_RESEAL_FAULT".utf8)) == nil, "a fault point reached the release build")
        // Stripped, its debug information in the debuginfo package beside it
        // (matched by build-id), no RUNPATH, and no trace of the path it was
        // built at.
        let sections = try Command.check("readelf", ["-S", "-W", binary])
        #expect(!sections.contains(".debug_info") && !sections.contains(".symtab"), "not stripped")
        #expect(try !Command.check("readelf", ["-d", "-W", binary]).contains("PATH"), "an RPATH or RUNPATH")
        #expect(bytes.range(of: Data(Fixtures.projectRoot.path.utf8)) == nil, "the build path is in the binary")
        let buildID = try Self.buildID(of: binary)
        let debuginfo = try TemporaryDirectory()
        let debugPackage = try #require(try ReleasePackage.debuginfoPath())
        try Command.check("rpm", ["--root", debuginfo.path, "--initdb"])
        try Command.check("rpm", ["--root", debuginfo.path, "-i", "--nodeps", "--noscripts", debugPackage])
        let debugFile = debuginfo.path("usr/lib/debug/usr/bin/aem-reseal-0.1.0-1.qubes4.x86_64.debug")
        #expect(try Self.buildID(of: debugFile) == buildID)
        #expect(try Command.check("readelf", ["-S", "-W", debugFile]).contains(".debug_info"))
        let version = try Command.run(binary, ["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("0.1.0"), "\(version.stdout)\(version.stderr)")
    }

    /// rpmlint (Debian's, with packaging/rpmlint.toml: Fedora's settings
    /// where its defaults differ) reports no error on the package, its
    /// debuginfo and the spec, and exactly the warnings
    /// packaging/rpmlint-expected lists, each with why it stays.
    @Test func rpmlintReportsOnlyTheExplainedWarnings() throws {
        var targets = [try ReleasePackage.path(), Fixtures.project("packaging/aem-reseal.spec")]
        if let debuginfo = try ReleasePackage.debuginfoPath() { targets.append(debuginfo) }
        let result = try Command.run("rpmlint", ["-c", Fixtures.project("packaging/rpmlint.toml")] + targets)
        #expect(result.stdout.contains("specfiles checked"), "rpmlint did not run: \(result.stdout)\(result.stderr)")
        let reported = Set(result.stdout.split(separator: "\n").compactMap(Self.rpmlintFinding))
        let expected = Set(
            try String(contentsOfFile: Fixtures.project("packaging/rpmlint-expected"), encoding: .utf8)
                .split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
                .map { $0.split(separator: " ").prefix(3).joined(separator: " ") }
                .filter { !$0.hasPrefix("aem-reseal.src ") })  // the source package: make rpmlint
        #expect(!reported.contains { $0.contains(" E ") }, "\(result.stdout)")
        #expect(reported.subtracting(expected).isEmpty, "not explained: \(reported.subtracting(expected))")
        #expect(expected.subtracting(reported).isEmpty, "no longer reported: \(expected.subtracting(reported))")
    }

    /// `aem-reseal.x86_64 W no-url-tag` from rpmlint's line
    /// `aem-reseal.x86_64: W: no-url-tag` (a spec's line number dropped).
    static func rpmlintFinding(_ line: Substring) -> String? {
        let fields = line.split(separator: " ")
        guard fields.count >= 3, fields[1] == "W:" || fields[1] == "E:" else { return nil }
        let package = fields[0].dropLast().split(separator: ":").first ?? ""
        return "\(package) \(fields[1].dropLast()) \(fields[2])"
    }

    /// The GNU build-id note of an ELF file, as readelf prints it.
    static func buildID(of file: String) throws -> String {
        let notes = try Command.check("readelf", ["-n", file])
        let line = try #require(notes.split(separator: "\n").first { $0.contains("Build ID:") })
        return String(line.split(separator: " ").last ?? "")
    }
}
