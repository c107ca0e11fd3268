import AEMCore
import Foundation
import SystemPackage

/// A dom0 root for tests and the demo: a /boot with tboot, Xen, dom0
/// kernels and initramfs images, SINIT, a grub.cfg from the project's own
/// generator, the AEM configuration and the /proc and /sys files the tool
/// reads. Compressed files are made with the gzip and xz tools.
public final class BootTree: @unchecked Sendable {
    public let directory: TemporaryDirectory
    public var root: String { directory.path }
    public var boot: String { directory.path("boot") }

    /// The current boot started an hour ago; files present at boot are older.
    public let bootTime = Date(timeIntervalSinceNow: -3600).rounded
    public let beforeBoot = Date(timeIntervalSinceNow: -7200).rounded

    public static let deviceID = "2f9e4a1c-0b7d-4e5a-9c3b-8d6f1e2a4b5c"
    public static let bootUUID = "7c9e8c0a-015c-6ad4-074e-5d25c78f02b4"
    public static let luksUUID = "luks-dd2f3c1c-3c38-5e59-0ff0-663489c7a96a"

    /// GRUB settings, as /etc/default/grub would give them.
    public var xenCommandLine =
        "console=none dom0_mem=min:1024M dom0_mem=max:4096M ucode=scan smt=off gnttab_max_frames=2048 gnttab_max_maptrack_frames=4096"
    public var xenDefaultCommandLine = ""
    public var linuxCommandLine =
        "rd.luks.uuid=\(BootTree.luksUUID) rd.lvm.lv=qubes_dom0/root plymouth.ignore-serial-consoles"

    /// Divides the module sizes (the demo keeps its bundled files small).
    public let sizeDivisor: Int

    /// Opens an existing tree without writing anything (the demo helper).
    public init(opening path: String) throws {
        directory = try TemporaryDirectory(keeping: path)
        sizeDivisor = 8
    }

    /// Marks the start of a new boot: `btime` now, and the command lines
    /// it runs with shown as a running dom0 shows them.
    public func startBoot() throws {
        let now = Date().rounded
        try directory.write("proc/stat", "cpu  1 2 3 4\nbtime \(Int(now.timeIntervalSince1970) - 60)\nprocesses 100\n")
        try showRunningCommandLines()
    }

    /// Marks the start of a boot after every file now on /boot was written
    /// (a second from now), as a real boot begins after the files it boots:
    /// `record` then takes a module that does not reproduce the log for the
    /// model's fault, not for a file changed since the boot began.
    public func startBootAfterItsFiles() throws {
        let next = Int(Date().timeIntervalSince1970) + 1
        try directory.write("proc/stat", "cpu  1 2 3 4\nbtime \(next)\nprocesses 100\n")
    }

    /// Enters the files at `relative` paths (under /boot) in the ledger of
    /// what a running dom0 wrote, as an earlier proven boot's `record
    /// --shutdown` leaves it when grub2-mkconfig rewrote grub.cfg during
    /// that boot (digests by Python's hashlib).
    public func enterInWrittenFilesLedger(_ relative: [String]) throws {
        var ledger = WrittenFilesLedger()
        for path in relative {
            let digest = try Python.hash("sha256", try directory.read("boot/" + path))
            ledger.files[FilePath("/" + path)] = .init(sha256: digest, writtenInBoot: 1)
        }
        try ledger.save(to: directory.path("var/lib/aem-reseal/" + WrittenFilesLedger.fileName))
    }

    /// The Xen and dom0 command lines the AEM entry of the last grub.cfg
    /// written here passes: what the boot that follows runs with.
    public private(set) var entryCommandLines: (xen: String, dom0: String)?

    /// What a running dom0 shows of the boot that starts now, as the AEM
    /// entry passes them: dom0's `/proc/cmdline`, and Xen's `Command line:`
    /// in Qubes' copy of its console.
    public func showRunningCommandLines() throws {
        guard let (xen, dom0) = entryCommandLines else { return }
        try directory.write("proc/cmdline", dom0 + "\n")
        try directory.write(
            "var/log/xen/console/hypervisor.log",
            "(XEN) Xen version 4.17 (mockbuild@) (gcc) debug=n\n(XEN) Command line: \(xen)\n")
    }

    /// A tree in a scratch folder, or in `path` (kept) for the demo, on a
    /// machine whose TPM has major version `tpmVersionMajor` (as sysfs says).
    public init(
        seal: String = "--pcr 13 --pcr 17 --pcr 18", at path: String? = nil, sizeDivisor: Int = 1,
        tpmVersionMajor: Int = 2
    ) throws {
        directory = try path.map { try TemporaryDirectory(keeping: $0) } ?? TemporaryDirectory()
        self.sizeDivisor = sizeDivisor
        try FileManager.default.createDirectory(atPath: directory.path("boot/aem"), withIntermediateDirectories: true)
        try directory.write("boot/tboot.gz", try Self.gzip(testBytes(4096, seed: 200)))
        try directory.write("boot/GM45_GS45_PM45_SINIT_51.BIN", Self.sinitACM())
        try directory.write("etc/anti-evil-maid.conf", "# AEM settings\nSEAL=\"\(seal)\"\n")
        try directory.write("proc/stat", "cpu  1 2 3 4\nbtime \(Int(bootTime.timeIntervalSince1970))\nprocesses 100\n")
        // As dom0 sees its command line: AEM measured these LUKS headers into PCR 13.
        try directory.write(
            "proc/cmdline",
            "placeholder root=/dev/mapper/qubes_dom0-root ro \(linuxCommandLine) aem.uuid=\(Self.bootUUID)\n")
        try directory.write("sys/class/tpm/tpm0/tpm_version_major", "\(tpmVersionMajor)\n")
        try mountBootAsMedia()
    }

    /// AEM installed on the internal /boot (the usual set-up): the device
    /// with `aem.uuid` is /boot, mounted read-write, so /boot is the media.
    public func mountBootAsMedia(options: String = "rw,relatime") throws {
        let link = directory.path("dev/disk/by-uuid/\(Self.bootUUID)")
        try FileManager.default.createDirectory(
            atPath: directory.path("dev/disk/by-uuid"), withIntermediateDirectories: true)
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == nil {
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "../../sda1")
        }
        try mount("/dev/sda1", at: "/boot", options: options)
    }

    /// Lists `device` as mounted at `point` (under the root) in the tree's
    /// `/proc/self/mountinfo`, with the device number the folder there
    /// really has, as the kernel's table would.
    public func mount(_ device: String, at point: String, options: String = "rw,relatime") throws {
        try directory.write(
            "proc/self/mountinfo",
            "1 0 253:0 / / rw,relatime shared:1 - ext4 /dev/mapper/qubes_dom0-root rw\n"
                + "36 1 \(try deviceNumber(of: point)) / \(point) \(options) shared:2 - ext4 \(device) "
                + "\(options)\n")
    }

    /// `major:minor` of the file system a folder under the root is on.
    public func deviceNumber(of point: String) throws -> String {
        MountTable.majorMinor(try FilePath(directory.path(String(point.dropFirst()))).stat().deviceID)
    }

    /// What stock `anti-evil-maid-seal` does after sealing: the set is
    /// copied to the media, where AEM's initramfs reads it at boot.
    public func copySealedSetToMedia(_ media: String? = nil) throws {
        let target = media.map { $0 + "/aem/tpms/\(linkedTPMID)/aem" } ?? mediaSealedSet
        try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: sealedSet, toPath: target)
    }

    /// The AEM device is not mounted (an AEM USB stick left out).
    public func unmountMedia() throws {
        try directory.write(
            "proc/self/mountinfo", "1 0 253:0 / / rw,relatime shared:1 - ext4 /dev/mapper/qubes_dom0-root rw\n")
    }

    /// The sealed set's copy on the media: `<boot>/aem/tpms/<id>/aem`.
    public var mediaSealedSet: String { boot + "/aem/tpms/\(linkedTPMID)/aem" }

    // MARK: Files

    /// Installs `xen-VERSION.gz`: gzip of an image made from `seed`, as the
    /// xen-hypervisor package installs it (with `packaged`: through rpm,
    /// whose database then vouches for it).
    public func installXen(_ version: String, seed: UInt8, packaged: Bool = true) throws {
        try directory.write(
            "boot/xen-\(version).gz", try Self.gzip(testBytes(96 * 1024 / sizeDivisor + Int(seed), seed: seed)))
        try installed("xen-hypervisor", version: version, files: ["boot/xen-\(version).gz"], packaged: packaged)
    }

    /// Installs `vmlinuz-RELEASE` (raw) and its config as the kernel package
    /// does (through rpm with `packaged`), then `initramfs-RELEASE.img` as
    /// dracut writes it on dom0.
    public func installKernel(_ release: String, seed: UInt8, initramfs: InitramfsKind = .gzip, packaged: Bool = true)
        throws
    {
        try directory.write("boot/vmlinuz-\(release)", testBytes(64 * 1024 / sizeDivisor + Int(seed), seed: seed))
        try directory.write("boot/config-\(release)", "CONFIG_XEN=y\nCONFIG_XEN_DOM0=y\n")
        try installed(
            "kernel", version: release, files: ["boot/vmlinuz-\(release)", "boot/config-\(release)"],
            packaged: packaged)
        try rebuildInitramfs(release, seed: seed &+ 1, kind: initramfs)
    }

    /// Whether the tree's rpm database is used (the demo's bundled tree has none).
    public var packagesThroughRPM = true

    /// Files just written under the root, installed as the package `name`
    /// installs them: through real rpm (files dated at the package's build
    /// time) with `packaged`, else only dated so.
    public func installed(_ name: String, version: String, files: [String], packaged: Bool, upgrade: Bool = false)
        throws
    {
        if packaged && packagesThroughRPM {
            var contents = [String: [UInt8]]()
            for file in files { contents["/" + file] = try directory.read(file) }
            let package = TestPackage(
                name: name, version: version.replacingOccurrences(of: "-", with: "_"), files: contents)
            try TestPackage.install(try package.buildCached(), root: root, upgrade: upgrade, replacing: true)
        }
        for file in files { try age(file) }
    }

    public enum InitramfsKind: String, Sendable {
        case gzip, xz, lzop
        /// An uncompressed early-microcode cpio followed by a gzip archive:
        /// GRUB sees no magic and loads it as is.
        case microcodePrefixed = "raw"
    }

    /// Rewrites `initramfs-RELEASE.img` (as `dracut -f` does).
    public func rebuildInitramfs(_ release: String, seed: UInt8, kind: InitramfsKind = .gzip) throws {
        let payload = Array("070701".utf8) + testBytes(128 * 1024 / sizeDivisor + Int(seed), seed: seed)
        let bytes: [UInt8]
        switch kind {
        case .gzip: bytes = try Self.gzip(payload)
        case .xz: bytes = try Self.compress(payload, with: "xz", ["-c", "--check=crc32"])
        case .lzop: bytes = try Self.compress(payload, with: "lzop", ["-c"])
        case .microcodePrefixed: bytes = Array("070701".utf8) + testBytes(512, seed: 9) + (try Self.gzip(payload))
        }
        try directory.write("boot/initramfs-\(release).img", bytes)
        try age("boot/initramfs-\(release).img")
    }

    /// Whether grub.cfg ends with the block GRUB's `41_custom` writes (every
    /// Fedora and Qubes dom0 has it): it sources `custom.cfg` beside it
    /// when there is one.
    public var grubCustomBlock = false

    /// The text `41_custom` writes into grub.cfg (GRUB 2.06's
    /// util/grub.d/41_custom.in; Fedora's is the same).
    public static let grubCustomBlockText = """
        ### BEGIN /etc/grub.d/41_custom ###
        if [ -f  ${config_directory}/custom.cfg ]; then
          source ${config_directory}/custom.cfg
        elif [ -z "${config_directory}" -a -f  $prefix/custom.cfg ]; then
          source $prefix/custom.cfg
        fi
        ### END /etc/grub.d/41_custom ###

        """

    /// Runs the project's grub.cfg generator over the /boot, as grub2-mkconfig
    /// would after an update, and makes the AEM entry the saved default;
    /// `savedEntry` nil writes no environment block (grub2-mkconfig itself
    /// leaves grubenv as it is).
    public func writeGrubConfiguration(savedEntry: String? = "xen-gnulinux-simple-\(BootTree.deviceID)") throws {
        let environment = [
            "GRUB_CMDLINE_XEN": xenCommandLine, "GRUB_CMDLINE_XEN_DEFAULT": xenDefaultCommandLine,
            "GRUB_CMDLINE_LINUX": linuxCommandLine, "GRUB_CMDLINE_LINUX_DEFAULT": "",
            "GRUB_DEVICE_BOOT_UUID": Self.bootUUID, "AEM_GRUB_DEVICE_ID": Self.deviceID,
            "GRUB_DISABLE_RECOVERY": "false",
        ]
        let cfg = try Command.check(Fixtures.project("grub-snippets/make-grub-cfg"), [boot], environment: environment)
        try directory.write("boot/grub2/grub.cfg", cfg + (grubCustomBlock ? Self.grubCustomBlockText : ""))
        try age("boot/grub2/grub.cfg")
        entryCommandLines = (expectedXenCommandLine(), expectedKernelCommandLine())
        guard let savedEntry else { return }
        try writeGrubEnvironment(["saved_entry": savedEntry])
    }

    /// Writes grubenv as `grub2-editenv` does: the variables, then `#` up to 1024 bytes.
    public func writeGrubEnvironment(_ variables: [String: String]) throws {
        var block = "# GRUB Environment Block\n"
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) { block += "\(name)=\(value)\n" }
        block += String(repeating: "#", count: 1024 - block.utf8.count)
        try directory.write("boot/grub2/grubenv", block)
        try age("boot/grub2/grubenv")
    }

    /// The command lines GRUB passes for the AEM entry, written out by hand
    /// from GRUB's rules (an empty `${xen_rm_opts}` adds no word).
    public func expectedXenCommandLine() -> String {
        (["placeholder"] + (xenCommandLine + " " + xenDefaultCommandLine).split(separator: " ").map(String.init))
            .joined(separator: " ")
    }

    public func expectedKernelCommandLine() -> String {
        (["placeholder", "root=/dev/mapper/qubes_dom0-root", "ro"]
            + linuxCommandLine.split(separator: " ").map(String.init)
            + ["aem.uuid=\(Self.bootUUID)", "rd.luks.key=/tmp/aem-keyfile", "rd.luks.crypttab=no"]).joined(
                separator: " ")
    }

    /// The command line GRUB gives tboot in the AEM entry (GRUB_CMDLINE_TBOOT empty).
    public static let tbootCommandLine = "placeholder logging=memory,serial"

    /// Puts a real tboot in /boot: Debian's (`make deps` installs the tboot
    /// package), or with `variant` one byte of its MLE changed, as a tboot
    /// update would change it. Either replaces /boot/tboot.gz in place, as
    /// the tboot package does.
    public func installRealTboot(variant: UInt8? = nil) throws {
        var elf = try Command.run("gzip", ["-dc", "/boot/tboot.gz"]).stdoutBytes
        if let variant {
            // 256 bytes past the MLE header: inside the MLE, which spans it.
            let uuid: [UInt8] = [
                0x5A, 0xAC, 0x82, 0x90, 0x6F, 0x47, 0xA7, 0x74, 0x0F, 0x5C, 0x55, 0xA2, 0xCB, 0x51, 0xB6, 0x42,
            ]
            guard let header = (0..<(elf.count - 16)).first(where: { elf[$0..<($0 + 16)].elementsEqual(uuid) }) else {
                throw Command.Failure(description: "no MLE header in /boot/tboot.gz")
            }
            elf[header + 256] ^= variant
        }
        try directory.write("boot/tboot.gz", try Command.run("gzip", ["-c", "-n"], stdinBytes: elf).stdoutBytes)
        try installed(
            "tboot", version: "1.11.1.\(variant ?? 0)", files: ["boot/tboot.gz"], packaged: true, upgrade: true)
    }

    /// The chain the AEM entry boots now, for the simulator; with
    /// `measureTboot`, SINIT measures /boot/tboot.gz as the MLE (event 0x404).
    public func chain(
        flow: SimulatedChain.Flow, xen: String, kernel: String, initramfsLoaded: String = "gzip",
        measureTboot: Bool = false
    ) -> SimulatedChain {
        SimulatedChain(
            flow: flow,
            mle: measureTboot
                ? .init(file: directory.path("boot/tboot.gz"), commandLine: Self.tbootCommandLine, loaded: "gzip")
                : nil,
            modules: [
                .init(
                    file: directory.path("boot/xen-\(xen).gz"), commandLine: expectedXenCommandLine(), loaded: "gzip"),
                .init(
                    file: directory.path("boot/vmlinuz-\(kernel)"), commandLine: expectedKernelCommandLine(),
                    loaded: "raw"),
                .init(file: directory.path("boot/initramfs-\(kernel).img"), commandLine: "", loaded: initramfsLoaded),
            ])
    }

    // MARK: TrenchBoot

    /// The entry's `slaunch_module`: SINIT on Intel, the SKL on AMD.
    public var trenchBootLaunchModule = "/GM45_GS45_PM45_SINIT_51.BIN"

    /// Installs `xen-VERSION.gz` as TrenchBoot boots it: an ELF with an MLE
    /// header; with `upgrade`, as `rpm -U` does, removing the older
    /// version's files; not `packaged`, as a file alone.
    public func installTrenchBootXen(_ version: String, seed: UInt8, upgrade: Bool = false, packaged: Bool = true)
        throws
    {
        try directory.write(
            "boot/xen-\(version).gz",
            try Self.gzip(SyntheticXen.elf(seed: seed, size: 48 * 1024 / sizeDivisor + Int(seed))))
        try installed(
            "xen-hypervisor", version: version, files: ["boot/xen-\(version).gz"], packaged: packaged, upgrade: upgrade)
    }

    /// grub.cfg with the entry AEM's `19_linux_xen_trenchboot` writes:
    /// `slaunch`, Xen by `multiboot2`, dom0 by `module2`, SINIT by `slaunch_module`.
    /// Whether the TrenchBoot grub.cfg has the blocks grub2-mkconfig writes
    /// before the entries on a Qubes dom0 (`00_header` with `load_env`
    /// and `save_env`, `10_reset_boot_success`, `12_menu_auto_hide`, ...:
    /// the real output in `Tests/Fixtures/grub-qubes`), an entry that finds
    /// its partition with `search --fs-uuid`, and the `41_custom` block.
    public var trenchBootFedoraBlocks = false

    public func writeTrenchBootGrubConfiguration(xen: String, kernel: String) throws {
        let launchModule = trenchBootLaunchModule
        let trenchBootXen = "placeholder \(xenCommandLine) no-real-mode edd=off"
        let trenchBootDom0 =
            "placeholder root=/dev/mapper/qubes_dom0-root ro \(linuxCommandLine) aem.uuid=\(Self.bootUUID) "
            + "rd.luks.key=/tmp/aem-keyfile rd.luks.crypttab=no"
        entryCommandLines = (trenchBootXen, trenchBootDom0)
        let header =
            trenchBootFedoraBlocks
            ? try Self.grubMkconfigHeader()
            : "set default=0\n"
        let search =
            trenchBootFedoraBlocks
            ? "\tinsmod part_msdos\n\tinsmod ext2\n\tset root='hd0,msdos1'\n"
                + "\tsearch --no-floppy --fs-uuid --set=root \(Self.bootUUID)\n" : ""
        let cfg =
            header + """
                menuentry 'AEM Qubes, with Xen hypervisor' --class qubes --class xen --class os --id 'xen-gnulinux-simple-\(Self.deviceID)' {
                \(search)\techo 'Enabling slaunch ...'
                	slaunch
                	echo 'Loading Xen \(xen) ...'
                	multiboot2 /xen-\(xen).gz \(trenchBootXen)
                	echo 'Loading Linux \(kernel) ...'
                	module2 /vmlinuz-\(kernel) \(trenchBootDom0)
                	echo 'Loading initial ramdisk ...'
                	module2 /initramfs-\(kernel).img
                	slaunch_module \(launchModule)
                }

                """
        let custom = grubCustomBlock || trenchBootFedoraBlocks
        try directory.write("boot/grub2/grub.cfg", cfg + (custom ? Self.grubCustomBlockText : ""))
        try age("boot/grub2/grub.cfg")
    }

    /// grub2-mkconfig's output on Qubes 4.2 before the entries (the real
    /// fixture's 00_header to 14_menu_show_once).
    static func grubMkconfigHeader() throws -> String {
        let text = String(decoding: try Fixtures.bytes("grub-qubes/qubes-r4.2-aem.cfg"), as: UTF8.self)
        guard let end = text.range(of: "### BEGIN /etc/grub.d/19_linux_xen_tboot ###") else {
            throw Command.Failure(description: "the Qubes fixture has no 19_linux_xen_tboot block")
        }
        return String(text[..<end.lowerBound])
    }

    /// The TrenchBoot chain the entry boots now; `mbiSeed` stands for the
    /// boot information GRUB builds (other addresses at every boot).
    public func trenchBootChain(
        xen: String, kernel: String, mbiSeed: UInt8, vendor: SimulatedTrenchBootChain.Vendor = .intel
    ) -> SimulatedTrenchBootChain {
        SimulatedTrenchBootChain(
            vendor: vendor,
            xen: directory.path("boot/xen-\(xen).gz"),
            modules: [
                .init(
                    file: directory.path("boot/vmlinuz-\(kernel)"), commandLine: expectedKernelCommandLine(),
                    loaded: "raw"),
                .init(file: directory.path("boot/initramfs-\(kernel).img"), commandLine: "", loaded: "gzip"),
            ],
            mbi: testBytes(2048, seed: mbiSeed))
    }

    /// What aem-reseal-record.service does at every AEM boot: `record`,
    /// which keeps this boot's log and module digests and hashes every
    /// file on /boot as the boot begins. `arguments` reach the TPM (a TCTI
    /// or `--tpm-version`) and name the boot's log.
    public func recordBoot(_ arguments: [String], environment: [String: String] = [:]) throws {
        let result = try CLI.run(["record", "--root", root] + arguments, environment: environment)
        guard result.status == 0 else { throw Command.Failure(description: "record: \(result.stderr)") }
    }

    /// A gzip file (Xen) decompressed, one byte flipped, compressed again:
    /// what an evil maid would boot instead. Written beside the tree.
    public func tamperedCopy(of path: String) throws -> String {
        var image = try Command.run("gzip", ["-dc", path]).stdoutBytes
        image[image.count / 2] ^= 0x01
        return try directory.write("evil-xen.gz", try Self.compress(image, with: "gzip", ["-c", "-n"]))
    }

    /// Dates a file before the boot, as an installed package's file is
    /// dated at its build time (times are never evidence of change).
    public func age(_ relative: String) throws {
        try directory.touch(relative, modified: beforeBoot)
    }

    // MARK: Helpers

    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        try compress(bytes, with: "gzip", ["-c", "-n", "-6"])
    }

    static func compress(_ bytes: [UInt8], with tool: String, _ arguments: [String]) throws -> [UInt8] {
        let result = try Command.run(tool, arguments, stdinBytes: bytes)
        guard result.status == 0 else { throw Command.Failure(description: "\(tool) failed: \(result.stderr)") }
        return result.stdoutBytes
    }

    /// A minimal Authenticated Code Module header: type 2 (chipset), vendor 0x8086.
    static func sinitACM() -> [UInt8] {
        var header = LogBuilder()
        header.u16(2)
        header.u16(0)
        header.u32(0xA1)
        header.u32(0x30000)
        header.u16(0xB00C)
        header.u16(0)
        header.u32(0x8086)
        header.u32(0x2023_0101)
        header.u32(0x800)  // size in dwords: 8 KiB
        header.raw(testBytes(8192 - header.bytes.count, seed: 77))
        return header.bytes
    }
}

extension Date {
    /// Whole seconds, as file systems and /proc/stat keep them.
    var rounded: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}

extension BootTree {
    public static let tpmID = "4a0e1d2c9b8f7a6e5d4c3b2a19081726354a5b6c"
    public static let secretText = "Bluebell meadow, 7 swans\n"

    /// AEM's files on the running system: the plaintext secrets, the
    /// `/var/lib/tpm` link to this TPM's folder, the cached SRK password
    /// and media suffix (written by AEM's initramfs at an AEM boot).
    public func installAEM(srkPassword: String?, secrets: [String: [UInt8]]? = nil) throws {
        let all =
            secrets ?? [
                "txt": Array(Self.secretText.utf8), "otp": Array("JBSWY3DPEHPK3PXP\n".utf8),
                "fre": testBytes(20, seed: 99),
            ]
        for (ext, bytes) in all { try directory.write("var/lib/anti-evil-maid/aem/secret.\(ext)", bytes, mode: 0o600) }
        try FileManager.default.createDirectory(
            atPath: directory.path("var/lib/tpms/\(Self.tpmID)"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: directory.path("var/lib/tpm"), withDestinationPath: "/var/lib/tpms/\(Self.tpmID)")
        if let srkPassword { try directory.write("run/anti-evil-maid/srk-password", srkPassword + "\n", mode: 0o600) }
        try directory.write("run/anti-evil-maid/suffix", "\n")
    }

    /// The TPM's id as `/var/lib/tpm`'s link names it (Qubes' AEM links it
    /// to the TPM's folder); the fixed test id before AEM links it.
    public var linkedTPMID: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: directory.path("var/lib/tpm")))
            .map { ($0 as NSString).lastPathComponent } ?? Self.tpmID
    }

    public var sealedSet: String { directory.path("var/lib/tpms/\(linkedTPMID)/aem") }
    public var plaintextSecrets: String { directory.path("var/lib/anti-evil-maid/aem") }
}
