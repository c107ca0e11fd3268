import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// Links on the attacker-controlled /boot resolve inside it, as GRUB
/// resolves them on the partition, never on the host.
@Suite struct BootPartitionPathTests {
    static func settings(_ directory: TemporaryDirectory) -> GrubEvaluationSettings {
        GrubEvaluationSettings(
            bootDirectory: directory.path("boot"), configurationFile: directory.path("boot/grub2/grub.cfg"))
    }

    @Test func linksResolveInsideThePartition() throws {
        let directory = try TemporaryDirectory()
        try directory.write("boot/xen-4.17.3.gz", "xen")
        let outside = try directory.write("secret-outside", "host secret")
        let boot = directory.path("boot")
        try FileManager.default.createSymbolicLink(atPath: boot + "/xen.gz", withDestinationPath: "xen-4.17.3.gz")
        try FileManager.default.createSymbolicLink(atPath: boot + "/absolute.gz", withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(
            atPath: boot + "/climb.gz", withDestinationPath: "../../../../secret-outside")
        try FileManager.default.createSymbolicLink(atPath: boot + "/loop-a", withDestinationPath: "loop-b")
        try FileManager.default.createSymbolicLink(atPath: boot + "/loop-b", withDestinationPath: "/loop-a")
        try FileManager.default.createSymbolicLink(atPath: boot + "/dir", withDestinationPath: "/")
        let settings = Self.settings(directory)

        #expect(settings.localPath("/xen.gz") == boot + "/xen-4.17.3.gz")
        // The absolute target names the partition's own path, which does not exist.
        #expect(settings.localPath("/absolute.gz") == boot + outside)
        // `..` stops at the partition's root.
        #expect(settings.localPath("/climb.gz") == boot + "/secret-outside")
        #expect(settings.localPath("/dir/xen.gz") == boot + "/xen-4.17.3.gz")
        #expect(settings.localPath("/loop-a") == nil)
        for path in ["/absolute.gz", "/climb.gz"] {
            let resolved = try #require(settings.localPath(path))
            #expect(resolved.hasPrefix(boot + "/"))
            #expect((try? String(contentsOfFile: resolved, encoding: .utf8)) != "host secret")
        }
    }

    /// The module an entry names through a planted absolute link is missing,
    /// not the host's file: predict fails and prints no digest of it.
    @Test func predictNeverHashesAHostFileThroughALink() throws {
        let tree = try BootTree()
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel("6.6.21", seed: 10)
        try tree.writeGrubConfiguration()
        let tpm = try SoftwareTPM()
        let log = try tree.directory.write(
            "drtm.log",
            try BootSimulator.boot(tree.chain(flow: .detailsAuthorities, xen: "4.17.3", kernel: "6.6.21"), on: tpm))
        // Then the evil maid replaces Xen with a link to a host file.
        let outside = try tree.directory.write("host-file", "host secret")
        try FileManager.default.removeItem(atPath: tree.boot + "/xen-4.17.3.gz")
        try FileManager.default.createSymbolicLink(atPath: tree.boot + "/xen-4.17.3.gz", withDestinationPath: outside)
        let result = try CLI.run(["predict", "--root", tree.root, "--no-tpm", "--event-log", log])
        #expect(result.status == 2)
        #expect(result.stderr.contains("cannot open"), "\(result.stderr)")
        #expect(!result.stdout.contains(HashAlgorithm.sha256.hash(Array("host secret".utf8)).hex))
    }
}
