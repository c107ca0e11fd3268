import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// The rpm query started while the modules hash: its answer is the real
/// rpm database's, and a path it did not ask about is never taken for
/// "owned by nothing".
struct RPMRecordsPrefetchTests {
    @Test func itAnswersForWhatItAskedAndOnlyThat() throws {
        let tree = try BootTree()
        try tree.installXen("4.17.3", seed: 1)
        let xen = "/boot/xen-4.17.3.gz"
        let prefetch = RPMRecordsPrefetch(
            database: RPMDatabase(root: tree.root), paths: [xen, "/boot/grub2/grub.cfg"])

        let answer = try #require(prefetch.records(covering: [xen])).get()
        // The digest rpm recorded is the file's SHA-256, as sha256sum computes it.
        let expected = try Command.check("sha256sum", [tree.root + xen]).split(separator: " ")[0]
        #expect(answer[xen]?.contains { $0.digest == expected && $0.package.hasPrefix("xen-hypervisor") } == true)
        #expect(answer["/boot/grub2/grub.cfg"] == nil, "no package owns grub.cfg")
        // Asked again, the same answer (the query ran once).
        #expect(try prefetch.records(covering: [xen])?.get()[xen]?.count == answer[xen]?.count)
        // A path outside the prefetch is the caller's to ask.
        #expect(prefetch.records(covering: [xen, "/boot/vmlinuz-6.6.21"]) == nil)
    }

    /// The paths come from GRUB's entry: its launcher, modules and configuration files.
    @Test func thePathsAreTheEntrysFiles() throws {
        let tree = try BootTree()
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel("6.6.21-1.qubes.fc37.x86_64", seed: 10)
        try tree.writeGrubConfiguration()
        let grub = try GrubConfiguration.load(
            GrubEvaluationSettings(bootDirectory: tree.boot, configurationFile: tree.boot + "/grub2/grub.cfg"))
        let entry = try grub.boot(try #require(grub.defaultEntry()))
        let paths = Set(RPMRecordsPrefetch.paths(of: entry, bootPrefix: "/boot"))
        for file in [
            "/boot/tboot.gz", "/boot/xen-4.17.3.gz", "/boot/vmlinuz-6.6.21-1.qubes.fc37.x86_64",
            "/boot/initramfs-6.6.21-1.qubes.fc37.x86_64.img", "/boot/grub2/grub.cfg",
        ] {
            #expect(paths.contains(file), "\(file) in \(paths.sorted())")
        }
    }
}
