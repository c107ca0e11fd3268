import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// Links on the attacker-controlled /boot resolve inside it, as GRUB
/// resolves them on the partition, never on the host; what is not a
/// regular file is never opened for reading.
@Suite struct BootPartitionTests {
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
        #expect(mkfifo(boot + "/fifo", 0o600) == 0)
        let partition = try BootPartition(path: boot)

        let xen = try partition.open("/xen.gz", limit: 1 << 20)
        #expect(try xen.readAll() == Array("xen".utf8))
        #expect(xen.pathInRoot == "/xen-4.17.3.gz")
        #expect(try partition.open("(hd0,msdos1)/dir/xen.gz", limit: 16).readAll() == Array("xen".utf8))
        // The absolute target names the partition's own path, which does not
        // exist; `..` stops at the partition's root. The host file is never read.
        for path in ["/absolute.gz", "/climb.gz"] {
            let error = #expect(throws: FileAccessError.self) { try partition.open(path, limit: 1 << 20) }
            #expect(error?.reason == .system(.noSuchFileOrDirectory), "\(path)")
        }
        let loop = #expect(throws: FileAccessError.self) { try partition.open("/loop-a", limit: 16) }
        #expect(loop?.reason == .linkLoop)
        #expect(loop?.description.contains("loop") == true)
        // A FIFO is refused at once, never waited on.
        let fifo = #expect(throws: FileAccessError.self) { try partition.open("/fifo", limit: 16) }
        #expect(fifo?.reason == .notRegularFile(.fifo))
        let relative = #expect(throws: FileAccessError.self) { try partition.open("xen.gz", limit: 16) }
        #expect(relative?.reason == .escapes)
        #expect(partition.type(of: "/xen.gz")?.type == .regular)
        #expect(partition.type(of: "/absolute.gz") == nil)
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
        #expect(result.stderr.contains("No such file or directory"), "\(result.stderr)")
        #expect(!result.stdout.contains(HashAlgorithm.sha256.hash(Array("host secret".utf8)).hex))
    }
}
