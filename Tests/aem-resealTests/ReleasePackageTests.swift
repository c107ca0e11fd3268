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
            "usr/lib/systemd/system/aem-reseal-record.service", "etc/dnf/plugins/needs-restarting.d/aem-reseal.conf",
            "usr/share/man/man1/aem-reseal.1", "usr/share/bash-completion/completions/aem-reseal",
            "usr/share/zsh/site-functions/_aem-reseal", "usr/share/licenses/aem-reseal-0.1.0/LICENSE",
        ] {
            #expect(FileManager.default.fileExists(atPath: root.path(path)), "\(path)")
        }
        let state = try FileManager.default.attributesOfItem(atPath: root.path("var/lib/aem-reseal"))
        #expect((state[.posixPermissions] as? Int) == 0o700)

        let triggers = try Command.check("rpm", ["-qp", "--filetriggers", rpm])
        #expect(triggers.contains("transfiletriggerin") && triggers.contains("/boot"), "\(triggers)")
        #expect(triggers.contains("/etc/grub.d") && triggers.contains("/etc/default"))
        #expect(triggers.contains("/usr/libexec/aem-reseal/rpm-trigger"))
        #expect(try ReleasePackage.scriptlet("postin").contains("/usr/libexec/aem-reseal/record-at-install"))
        let tags = try Command.check("rpm", ["-qp", "--queryformat", "%{LICENSE}|%{URL}", rpm])
        #expect(tags == "GPL-2.0-or-later|(none)", "the project's own licence, and no other project's URL")
        let licence = try String(
            contentsOfFile: root.path("usr/share/licenses/aem-reseal-0.1.0/LICENSE"), encoding: .utf8)
        #expect(licence.contains("GNU GENERAL PUBLIC LICENSE") && licence.contains("Version 2, June 1991"))
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
        let version = try Command.run(binary, ["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("0.1.0"), "\(version.stdout)\(version.stderr)")
    }
}
