import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// The threat model's attacker owns /boot and the AEM media while the
/// machine is off. Each of their inputs that once hung the tool or made it
/// allocate gigabytes gets an answer within 10 s and 256 MB, an exit status
/// from the table, and nothing outside the root read or written.
@Suite(.serialized) struct HostileInputTests {
    static let memoryBudget = 256 << 20
    /// The exit statuses of the table (`ExitStatus`).
    static let table: Set<Int32> = [0, 1, 2, 3, 4, 5, 6, 7, 8, 64, 75]

    static func expectBounded(_ run: Bounded.Run, _ what: String, status: Int32? = nil) {
        // The figures docs/reliability.md quotes.
        print(
            String(
                format: "bounded: %@: %.2f s, %d MB, exit %d", what, run.seconds, run.peakBytes >> 20, run.result.status
            ))
        #expect(!run.timedOut, "\(what) did not answer within 10 s")
        #expect(run.seconds < 10, "\(what): \(run.seconds) s")
        #expect(run.peakBytes < memoryBudget, "\(what): peak \(run.peakBytes >> 20) MB")
        #expect(table.contains(run.result.status), "\(what): exit \(run.result.status)")
        if let status { #expect(run.result.status == status, "\(what): \(run.result.stderr)") }
    }

    static func arguments(_ command: String, _ setup: StageBehaviourTests.Setup, _ extra: [String] = []) -> [String] {
        [command, "--root", setup.tree.root, "--tcti", setup.tpm.tcti, "--event-log", setup.log] + extra
    }

    // MARK: Bombs

    /// A 169-byte tboot.gz whose MLE header claims a 4 GiB command-line
    /// area: refused by its bound, not allocated.
    @Test func mleCommandLineAreaBombIsRefusedWithinBounds() throws {
        let world = try TbootUpdateTests.booted(record: true)
        let bomb = try Command.run(
            "gzip", ["-9", "-n", "-c"],
            stdinBytes: SyntheticXen.elf(seed: 0, size: 256, bss: 0, commandLineArea: (0, 0xFFFF_FFFF)))
        #expect(bomb.stdoutBytes.count < 400)
        try world.tree.directory.write("boot/tboot.gz", bomb.stdoutBytes)
        let predict = try Bounded.tool([
            "predict", "--root", world.tree.root, "--tcti", world.tpm.tcti, "--event-log", world.log,
        ])
        Self.expectBounded(predict, "predict", status: 2)
        #expect(predict.result.stderr.contains("the MLE command-line area exceeds 4096 bytes"), "\(predict.result)")
        let trigger = try Bounded.run(
            Fixtures.project("packaging/rpm-trigger"), [], stdin: "/boot/tboot.gz\n",
            environment: [
                "AEM_RESEAL": CLI.executable.path, "AEM_RESEAL_ROOT": world.tree.root,
                "AEM_RESEAL_ARGS": "--tcti \(world.tpm.tcti) --event-log \(world.log)",
            ])
        Self.expectBounded(trigger, "the trigger", status: 0)
        #expect(trigger.result.stdout.contains("could not seal ahead"))
    }

    /// `set a="$a$a"` doubles a value at every line: 26 lines would make
    /// 670 MB. The bytes, not only the steps, are bounded.
    @Test func exponentialGrubStringsAreRefusedWithinBounds() throws {
        let setup = try StageBehaviourTests.setup()
        let doubling = String(repeating: "set a=\"$a$a\"\n", count: 26)
        let cfg = try String(contentsOfFile: setup.tree.boot + "/grub2/grub.cfg", encoding: .utf8)
        try setup.tree.directory.write("boot/grub2/grub.cfg", "set a=0123456789\n" + doubling + cfg)
        let predict = try Bounded.tool(Self.arguments("predict", setup))
        Self.expectBounded(predict, "predict", status: 2)
        #expect(predict.result.stderr.contains("exceeds the limit of 65536"), "\(predict.result.stderr)")
        let checklist = try Bounded.tool(Self.arguments("checklist", setup))
        Self.expectBounded(checklist, "checklist", status: 1)
    }

    /// An xz initramfs whose header declares a 768 MiB dictionary: liblzma
    /// would allocate it all (820 MB peak before). Refused by the decoder's
    /// memory limit, within bounds.
    @Test func anXZDictionaryBombIsRefusedWithinBounds() throws {
        let setup = try StageBehaviourTests.setup()
        let script = """
            import lzma, sys, zlib
            x = bytearray(lzma.compress(b"070701" + b"initramfs" * 1000, format=lzma.FORMAT_XZ,
                                        filters=[{"id": lzma.FILTER_LZMA2, "dict_size": 1 << 20}]))
            size = (x[12] + 1) * 4
            x[16] = 35
            x[12 + size - 4:12 + size] = zlib.crc32(bytes(x[12:12 + size - 4])).to_bytes(4, "little")
            sys.stdout.buffer.write(x)
            """
        let bomb = try Command.run("python3", ["-c", script])
        try setup.tree.directory.write(
            "boot/initramfs-\(StageBehaviourTests.kernel).img", bomb.stdoutBytes)
        let predict = try Bounded.tool(Self.arguments("predict", setup))
        Self.expectBounded(predict, "predict with a 768 MiB xz dictionary", status: 2)
        #expect(predict.result.stderr.contains("more than 72 MiB to decode"), "\(predict.result.stderr)")
    }

    /// Sixteen planted `xen-*.gz`, each a gzip bomb just under the module
    /// bound: the search for the booted Xen (no boot record, Xen changed)
    /// once inflated them one after another (45 s). Its budget stops it.
    @Test func gzipBombsBesideXenDoNotMakeTheSearchLong() throws {
        let world = try TbootUpdateTests.booted(record: false)
        try world.tree.installXen("4.17.4", seed: 2)
        try world.tree.writeGrubConfiguration()
        let bomb = try Command.run("sh", ["-c", "head -c \((2 << 30) - (1 << 20)) /dev/zero | gzip -1 -n"])
        // Named to sort before the booted xen-4.17.3.gz: they are tried first.
        for index in 0..<16 { try world.tree.directory.write("boot/xen-4.17.99-bomb\(index).gz", bomb.stdoutBytes) }
        let predict = try Bounded.tool([
            "predict", "--root", world.tree.root, "--tcti", world.tpm.tcti, "--event-log", world.log,
        ])
        Self.expectBounded(predict, "predict beside 16 gzip bombs named xen-*")
    }

    /// 8 GiB of files full of holes on /boot: `record`, which runs at every
    /// boot before AEM's seal service, took 36 s to hash them. Its snapshot
    /// is bounded in time; what it did not hash is unknown.
    @Test func recordBesideEightGiBOfHolesAnswersWithinBounds() throws {
        let setup = try StageBehaviourTests.setup()
        for index in 0..<8 {
            let hog = setup.tree.boot + "/hog\(index)"
            FileManager.default.createFile(atPath: hog, contents: nil)
            #expect(truncate(hog, off_t(1 << 30)) == 0)
        }
        // A boot of its own: the snapshot is taken once per boot.
        try setup.tree.startBoot()
        let record = try Bounded.tool(
            ["record", "--root", setup.tree.root, "--tcti", setup.tpm.tcti, "--event-log", setup.log])
        Self.expectBounded(record, "record beside 8 GiB of holes")
        let stamp = try #require(try SystemLayout(root: setup.tree.root).bootTimeSeconds())
        let snapshot = try #require(
            try BootFileSnapshot.load(in: setup.tree.root + "/var/lib/aem-reseal/boots/\(stamp)"))
        #expect(snapshot.sha256(of: "/grub2/grub.cfg") != nil, "small files come first")
    }

    /// grub.cfg sourcing a 4 MiB comment file 400 times (70 s before), or
    /// running `load_env -f` 29 700 times (206 s before): the GRUB
    /// evaluation's one budget refuses both by what they read.
    @Test(arguments: [
        ("source", "the bytes of script read in one evaluation exceeds the limit of 16777216"),
        ("load_env", "the number of environment blocks read exceeds the limit of 256"),
    ])
    func repeatedGrubReadsAreRefusedWithinBounds(command: String, message: String) throws {
        let setup = try StageBehaviourTests.setup()
        let cfg = try String(contentsOfFile: setup.tree.boot + "/grub2/grub.cfg", encoding: .utf8)
        let comment = "# " + String(repeating: "x", count: 1021) + "\n"
        try setup.tree.directory.write("boot/grub2/comments.cfg", String(repeating: comment, count: 4096))
        try setup.tree.directory.write(
            "boot/grub2/env", "# GRUB Environment Block\nx=1\n" + String(repeating: "#", count: 994))
        let repeated =
            command == "source"
            ? String(repeating: "source $prefix/comments.cfg\n", count: 400)
            : String(repeating: "load_env -f $prefix/env\n", count: 29_700)
        try setup.tree.directory.write("boot/grub2/grub.cfg", repeated + cfg)
        let predict = try Bounded.tool(Self.arguments("predict", setup))
        Self.expectBounded(predict, "predict with \(command) repeated", status: 2)
        #expect(predict.result.stderr.contains(message), "\(predict.result.stderr)")
    }

    // MARK: FIFOs

    /// A FIFO where a file of /boot or of the media should be: never
    /// waited on. Each command answers at once, saying what it found.
    @Test(arguments: [
        "boot/grub2/grub.cfg", "boot/grub2/grubenv", "boot/xen-4.17.4.gz", "boot/GM45_GS45_PM45_SINIT_51.BIN",
    ])
    func fifoOnBootIsNeverWaitedOn(relative: String) throws {
        let setup = try StageBehaviourTests.setup()
        try FileManager.default.removeItem(atPath: setup.tree.root + "/" + relative)
        #expect(mkfifo(setup.tree.root + "/" + relative, 0o644) == 0)
        for command in ["predict", "checklist"] {
            let run = try Bounded.tool(Self.arguments(command, setup))
            Self.expectBounded(run, "\(command) with a FIFO at \(relative)")
        }
        let stage = try Bounded.tool(Self.arguments("stage", setup, ["--yes"]))
        Self.expectBounded(stage, "stage with a FIFO at \(relative)")
        if relative.hasSuffix("grubenv") {
            // grub.cfg loads the block only `if [ -s $prefix/grubenv ]`: a
            // FIFO has no size, so (as for GRUB) it is not read at all.
            #expect(stage.result.status == 0, "\(stage.result)")
        } else {
            #expect(stage.result.status == 2, "\(stage.result)")
            #expect(stage.result.stderr.contains("not a regular file (FIFO)"), "\(stage.result.stderr)")
        }
        let trigger = try Bounded.run(
            Fixtures.project("packaging/rpm-trigger"), [], stdin: "/" + relative + "\n",
            environment: [
                "AEM_RESEAL": CLI.executable.path, "AEM_RESEAL_ROOT": setup.tree.root,
                "AEM_RESEAL_ARGS": "--tcti \(setup.tpm.tcti) --event-log \(setup.log)",
            ])
        Self.expectBounded(trigger, "the trigger", status: 0)
    }

    @Test func fifoAsTbootIsNeverWaitedOn() throws {
        let world = try TbootUpdateTests.booted(record: true)
        try FileManager.default.removeItem(atPath: world.tree.boot + "/tboot.gz")
        #expect(mkfifo(world.tree.boot + "/tboot.gz", 0o644) == 0)
        let predict = try Bounded.tool([
            "predict", "--root", world.tree.root, "--tcti", world.tpm.tcti, "--event-log", world.log,
        ])
        Self.expectBounded(predict, "predict", status: 2)
        #expect(predict.result.stderr.contains("not a regular file (FIFO)"), "\(predict.result.stderr)")
    }

    /// FIFOs in the media's sets and dom0's backup: stage seals on dom0 and
    /// says the media was not updated (7); checklist and rollback answer.
    /// (Places inside `<media>/aem/tpms/<tpm-id>/`.)
    @Test(arguments: [
        "aem/aem-reseal.id", "aem/key.pcrs", ".aem.aem-reseal-staging/key.pub", ".aem.aem-reseal/previous/key.pub",
    ])
    func fifoOnTheMediaIsNeverWaitedOn(place: String) throws {
        let setup = try StageBehaviourTests.setup()
        let media = setup.tree.root + "/media/aem"
        let sets = media + "/aem/tpms/\(BootTree.tpmID)"
        try FileManager.default.createDirectory(atPath: sets, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: setup.tree.sealedSet, toPath: sets + "/aem")
        let fifo = sets + "/" + place
        try FileManager.default.createDirectory(
            atPath: (fifo as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: fifo)
        #expect(mkfifo(fifo, 0o644) == 0)
        let stage = try Bounded.tool(Self.arguments("stage", setup, ["--yes", "--media", media]))
        Self.expectBounded(stage, "stage with a FIFO at \(place)")
        // dom0 is sealed either way. A FIFO in a set the copy must read is
        // refused by its name (not on the media: 7); one in an older set
        // that is only moved aside (`previous` into history) is never opened.
        #expect([0, 7].contains(stage.result.status), "\(stage.result)")
        if place.hasPrefix("aem/") {
            #expect(stage.result.status == 7)
            #expect(stage.result.stdout.contains("not a regular file (FIFO)"), "\(stage.result.stdout)")
        }
        let checklist = try Bounded.tool(Self.arguments("checklist", setup, ["--media", media]))
        Self.expectBounded(checklist, "checklist with a FIFO at \(place)")
        let rollback = try Bounded.tool(["rollback", "--root", setup.tree.root, "--yes", "--media", media])
        Self.expectBounded(rollback, "rollback with a FIFO at \(place)")
    }

    // MARK: Links and races

    /// grub.cfg and grubenv as absolute links to host files: resolved
    /// inside the partition (where nothing is), never read on the host.
    @Test func absoluteLinksForGrubFilesNeverReachTheHost() throws {
        let setup = try StageBehaviourTests.setup()
        let tree = setup.tree
        let hostConfiguration = try tree.directory.write(
            "host/grub.cfg", "menuentry 'host entry' {\n multiboot /tboot.gz\n module /xen-4.17.3.gz\n}\n")
        let hostEnvironment = try tree.directory.write("host/grubenv", "# GRUB Environment Block\nsaved_entry=1\n")
        try FileManager.default.removeItem(atPath: tree.boot + "/grub2/grubenv")
        try FileManager.default.createSymbolicLink(
            atPath: tree.boot + "/grub2/grubenv", withDestinationPath: hostEnvironment)
        let withLinkedEnvironment = try Bounded.tool(Self.arguments("predict", setup, ["--json"]))
        Self.expectBounded(withLinkedEnvironment, "predict")
        let files = try withLinkedEnvironment.result.json()["grubConfiguration"] as? [[String: Any]] ?? []
        // Inside the partition the link names nothing: `[ -s $prefix/grubenv ]`
        // is false, and the block is not read.
        #expect(!files.contains { $0["path"] as? String == "/grub2/grubenv" }, "the host's grubenv was not read")

        try FileManager.default.removeItem(atPath: tree.boot + "/grub2/grub.cfg")
        try FileManager.default.createSymbolicLink(
            atPath: tree.boot + "/grub2/grub.cfg", withDestinationPath: hostConfiguration)
        let withLinkedConfiguration = try Bounded.tool(Self.arguments("predict", setup))
        Self.expectBounded(withLinkedConfiguration, "predict", status: 2)
        #expect(withLinkedConfiguration.result.stderr.contains("No such file or directory"))
        #expect(!withLinkedConfiguration.result.stdout.contains("host entry"))
    }

    /// tboot.gz swapped for an absolute link to a host tboot and back,
    /// again and again, while predict runs: the lookup and the open are one
    /// step, so the host file is never measured.
    @Test func tbootSwappedForALinkMidLookupIsNeverFollowed() throws {
        let world = try TbootUpdateTests.booted(record: true)
        let boot = world.tree.boot
        let genuine = try world.tree.directory.read("boot/tboot.gz")
        let hostTboot = try world.tree.directory.write("host/tboot.gz", genuine.reversed() + [0x1F])
        let hostSHA = HashAlgorithm.sha256.hash(try world.tree.directory.read("host/tboot.gz")).hex
        try world.tree.directory.write("boot/.tboot-real", genuine)
        try FileManager.default.createSymbolicLink(atPath: boot + "/.tboot-link", withDestinationPath: hostTboot)
        let stop = Flag()
        let swapper = Thread {
            var link = true
            while !stop.isSet {
                // Hard links keep both names while tboot.gz flips atomically.
                let source = boot + (link ? "/.tboot-link" : "/.tboot-real")
                let staging = boot + "/.tboot-next"
                unlink(staging)
                if link { symlink(hostTboot, staging) } else { Glibc.link(source, staging) }
                rename(staging, boot + "/tboot.gz")
                link.toggle()
            }
        }
        swapper.start()
        defer { stop.set() }
        for attempt in 0..<40 {
            let run = try Bounded.tool([
                "predict", "--root", world.tree.root, "--tcti", world.tpm.tcti, "--event-log", world.log, "--json",
            ])
            Self.expectBounded(run, "predict #\(attempt)")
            #expect(!run.result.stdout.contains(hostSHA), "attempt \(attempt) measured the host's tboot")
            #expect(!run.result.stderr.contains(hostSHA))
        }
    }

    /// A hard link in the media's active set to a file elsewhere on that
    /// file system: the set is not restricted (which would chmod the
    /// other file), the media copy is refused by name, dom0 keeps its seal.
    @Test func hardLinkInTheMediaSetIsNeverChanged() throws {
        let (setup, media, mediaSets, outside) = try PlantedLinkTests.mediaWorld()
        try FileManager.default.removeItem(atPath: mediaSets + "/aem/key.pcrs")
        #expect(link(outside.file, mediaSets + "/aem/key.pcrs") == 0)
        let before = try outside.snapshot()
        let stage = try Bounded.tool(Self.arguments("stage", setup, ["--yes", "--media", media]))
        Self.expectBounded(stage, "stage", status: 7)
        #expect(stage.result.stdout.contains("key.pcrs: it has 2 hard links"), "\(stage.result.stdout)")
        #expect(try outside.snapshot() == before)
    }

    // MARK: The media going away

    /// The media is unmounted (lazily, as a removed USB stick) after it was
    /// found and before the copy: the copy goes nowhere on dom0, and stage
    /// says the media does not hold the seal (7).
    @Test func mediaUnmountedDuringStageIsNotCopied() throws {
        let setup = try StageBehaviourTests.setup()
        let tree = setup.tree
        let mount = try SmallMount(at: tree.root + "/run/media/aem", kilobytes: 1024, inodes: 256)
        defer { mount.unmount() }
        let sets = mount.path + "/aem/tpms/\(BootTree.tpmID)"
        try FileManager.default.createDirectory(atPath: sets, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: tree.sealedSet, toPath: sets + "/aem")
        try tree.mount("/dev/sdb1", at: "/run/media/aem")
        try FileManager.default.removeItem(atPath: tree.root + "/dev/disk/by-uuid/\(BootTree.bootUUID)")
        try FileManager.default.createSymbolicLink(
            atPath: tree.root + "/dev/disk/by-uuid/\(BootTree.bootUUID)", withDestinationPath: "../../sdb1")
        let stage = try Bounded.tool(
            Self.arguments("stage", setup, ["--yes"]),
            environment: [
                "AEM_RESEAL_FAULT_POINTS_ENABLE": "i-am-a-test", "AEM_RESEAL_FAULT_POINT": "media:copy",
                "AEM_RESEAL_FAULT_COMMAND": "umount -l \(mount.path)",
            ])
        Self.expectBounded(stage, "stage", status: 7)
        #expect(stage.result.stdout.contains("unmounted from"), "\(stage.result.stdout)")
        // The bare mount-point folder on dom0 got nothing.
        #expect(try FileManager.default.contentsOfDirectory(atPath: mount.path).isEmpty)
    }

    /// The mount point holds another folder than the mount table's device
    /// (something mounted over it, or a folder in its place): refused.
    @Test func mediaMountPointOfAnotherDeviceIsRefused() throws {
        let setup = try StageBehaviourTests.setup()
        let info = try String(contentsOfFile: setup.tree.root + "/proc/self/mountinfo", encoding: .utf8)
        let wrong = info.replacingOccurrences(of: " \(try setup.tree.deviceNumber(of: "/boot")) ", with: " 8:99 ")
        try setup.tree.directory.write("proc/self/mountinfo", wrong)
        let stage = try Bounded.tool(Self.arguments("stage", setup, ["--yes"]))
        Self.expectBounded(stage, "stage", status: 7)
        #expect(stage.result.stdout.contains("does not hold the AEM device"), "\(stage.result.stdout)")
    }
}

/// A flag one thread sets and another reads.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
