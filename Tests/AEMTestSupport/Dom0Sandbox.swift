import Foundation

/// A throw-away dom0 around a `BootTree`, for programs that use dom0's
/// fixed paths (Qubes' AEM scripts, the installed package's scriptlets):
/// each run is one process in private mount and PID namespaces, chrooted
/// into an overlay of this machine's root whose upper layer the sandbox
/// keeps (what was installed into it stays). The tree's files are mounted
/// where dom0 has them, and only those:
///
/// - `dom0` phase: `/boot`, `/var/lib`, `/var/log/xen` (Xen's console, where
///   dom0 reads the command line Xen ran with), `/run`, `/root` (rpm's
///   database on Debian) and each file of the tree's `/etc`, the tree's
///   `/proc/cmdline` and `/proc/stat` over the real /proc;
/// - `initramfs` phase (AEM's unseal, before the root is mounted): `/run`
///   and the command line only; `/boot` and `/var/lib` are empty tmpfs.
///
/// Both see a `/dev` with the null devices and the test's loop devices,
/// `/dev/disk/by-uuid` and `by-label` links to them, udev's database entry
/// for each (which `lsblk` reads) and a `/sys/class/tpm/tpm0` with the
/// files the kernel's TPM driver would show. Nothing is mounted outside
/// the namespace; a run is bounded by `timeout`.
public final class Dom0Sandbox: @unchecked Sendable {
    public enum Phase: String, Sendable {
        case initramfs, dom0
    }

    /// What a run printed, and where its `/tmp` is on this machine.
    public struct Run: Sendable {
        public var result: CLI.Result
        public var tmp: String
        public var status: Int32 { result.status }
        public var stdout: String { result.stdout }
        public var stderr: String { result.stderr }
    }

    public let tree: BootTree
    let scratch: TemporaryDirectory
    /// Block devices the sandbox's /dev has.
    public var devices: [LoopDevice] = []
    /// Files of `/sys/class/tpm/tpm0` (`tpm_version_major`, ...), by name.
    public var tpmSysfs: [String: String] = [:]
    /// The environment every run starts from (nothing of the test
    /// process's leaks in).
    public var environment: [String: String] = [
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root", "TERM": "linux",
        "LANG": "C.UTF-8",
    ]
    private var runs = 0

    public init(tree: BootTree) throws {
        self.tree = tree
        scratch = try TemporaryDirectory()
        for folder in ["upper", "work", "root", "dom0-tmp", "disk/by-uuid", "disk/by-label", "sys-class"] {
            try FileManager.default.createDirectory(atPath: scratch.path(folder), withIntermediateDirectories: true)
        }
    }

    /// Where `path` of the sandbox's own layer (what was installed into it) is.
    public func layerPath(_ path: String) -> String { scratch.path("upper" + path) }

    /// Installs a file into the sandbox's own layer (not into the tree).
    @discardableResult
    public func install(_ bytes: [UInt8], at path: String, mode: Int = 0o755) throws -> String {
        try scratch.write("upper" + path, bytes, mode: mode)
    }

    /// The `/tmp` of dom0-phase runs, on this machine (files put there are
    /// visible inside).
    public var dom0Tmp: String { scratch.path("dom0-tmp") }

    /// Runs `command` inside; `stdin` is its standard input.
    public func run(
        _ command: [String], phase: Phase = .dom0, stdin: String = "", environment extra: [String: String] = [:],
        timeout: Int = 120
    ) throws -> Run {
        runs += 1
        let tmp = phase == .initramfs ? scratch.path("initramfs-tmp-\(runs)") : dom0Tmp
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        try prepareDevices()
        try prepareSysfs()
        let variables = environment.merging(extra) { $1 }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let result = try Command.run(
            "timeout",
            ["--kill-after=5", String(timeout), "sh", "-c", Self.enter, "sandbox"] + ["/usr/bin/env", "-i"] + variables
                + command,
            stdin: stdin,
            environment: [
                "SBX_ENTER_LOCK": try MachineLocks.path("mount-namespace"), "SBX_SETUP": Self.setUp,
                "SBX_ROOT": scratch.path("root"), "SBX_UPPER": scratch.path("upper"), "SBX_WORK": scratch.path("work"),
                "SBX_TREE": tree.root, "SBX_PHASE": phase.rawValue, "SBX_TMP": tmp, "SBX_DISK": scratch.path("disk"),
                "SBX_SYSCLASS": scratch.path("sys-class"),
                "SBX_BLOCKS": devices.map { "\(($0.device as NSString).lastPathComponent):\($0.majorMinor)" }
                    .joined(separator: " "),
            ])
        if result.status == 124 || result.status == 137 {
            throw Command.Failure(
                description: "\(command.joined(separator: " ")) did not finish within \(timeout) s: \(result.stderr)")
        }
        return Run(result: result, tmp: tmp)
    }

    /// udev's database entries and the /dev/disk links of the devices.
    private func prepareDevices() throws {
        let udev = tree.directory.path("run/udev/data")
        try FileManager.default.createDirectory(atPath: udev, withIntermediateDirectories: true)
        for device in devices {
            let entry = device.properties.sorted { $0.key < $1.key }.map { "E:\($0.key)=\($0.value)\n" }.joined()
            try entry.write(toFile: udev + "/b\(device.majorMinor)", atomically: true, encoding: .utf8)
            let name = "../../" + (device.device as NSString).lastPathComponent
            for (folder, key) in [("by-uuid", device.uuid), ("by-label", device.label)] {
                guard let key else { continue }
                let link = scratch.path("disk/\(folder)/\(key)")
                try? FileManager.default.removeItem(atPath: link)
                try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: name)
            }
        }
    }

    private func prepareSysfs() throws {
        let folder = scratch.path("sys-class/tpm/tpm0")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in tpmSysfs { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
    }

    /// Enters the new namespaces holding the machine-wide lock
    /// `SBX_ENTER_LOCK` on descriptor 9, which `setUp` releases once it has
    /// dropped the other tests' mounts from its copy of the mount table.
    ///
    /// A new mount namespace starts as a copy of every mount of the
    /// machine, other tests' AEM media among them, and each copy keeps that
    /// file system alive read-write. A test whose initramfs phase then
    /// mounts its media read-only (AEM's unseal, after the test unmounted
    /// it) meets the live read-write superblock: `mount` fails with "/dev/loopN
    /// already mounted or mount point busy" until the copy is gone. Under
    /// load the copy can live long enough for that (issue 30). Entering
    /// under the lock, a sandbox starts only when no other one still holds
    /// such copies; and the media a test unmounts before its initramfs
    /// phase is in no copy made afterwards.
    static let enter = #"""
        exec 9>>"$SBX_ENTER_LOCK"
        flock 9
        exec unshare --mount --pid --fork --propagation private sh -c "$SBX_SETUP" sandbox "$@"
        """#

    /// Run as root by `unshare` in the new namespaces, with the SBX_
    /// variables and `enter`'s lock on descriptor 9; its arguments are the
    /// command to chroot into.
    static let setUp = #"""
        set -eu
        R=$SBX_ROOT
        # Drop every mount of other tests from this copy of the machine's:
        # those under the scratch folders' parent, and any loop device's
        # file system outside this tree. Then let the next sandbox enter.
        base=$(dirname "$SBX_TREE")
        awk '{ print $2, $1 }' /proc/self/mounts | sort -r | while IFS=' ' read -r m source; do
            case $m in
            "$SBX_TREE" | "$SBX_TREE"/*) continue ;;
            "$base"/*) umount -l "$m" 2>/dev/null || : ;;
            *) case $source in /dev/loop*) umount -l "$m" 2>/dev/null || : ;; esac ;;
            esac
        done
        flock -u 9
        exec 9>&-
        mount -t overlay overlay -o "lowerdir=/,upperdir=$SBX_UPPER,workdir=$SBX_WORK" "$R"
        mount -t proc proc "$R/proc"
        for f in cmdline stat; do
            if [ -f "$SBX_TREE/proc/$f" ]; then mount --bind "$SBX_TREE/proc/$f" "$R/proc/$f"; fi
        done
        mount -t tmpfs -o mode=0755 dev "$R/dev"
        for n in null zero full random urandom tty; do touch "$R/dev/$n"; mount --bind "/dev/$n" "$R/dev/$n"; done
        mkdir "$R/dev/shm" "$R/dev/pts" "$R/dev/disk"
        ln -s /proc/self/fd "$R/dev/fd"
        ln -s /proc/self/fd/0 "$R/dev/stdin"; ln -s /proc/self/fd/1 "$R/dev/stdout"; ln -s /proc/self/fd/2 "$R/dev/stderr"
        for block in $SBX_BLOCKS; do
            name=${block%%:*}; numbers=${block#*:}
            mknod "$R/dev/$name" b "${numbers%%:*}" "${numbers#*:}"
        done
        mount --bind "$SBX_DISK" "$R/dev/disk"
        mount --rbind /sys "$R/sys"
        mount --bind "$SBX_SYSCLASS" "$R/sys/class"
        mkdir -p "$SBX_TREE/run"
        mount --bind "$SBX_TREE/run" "$R/run"
        mount --bind "$SBX_TMP" "$R/tmp"
        case $SBX_PHASE in
        initramfs)
            mount -t tmpfs tmpfs "$R/var/lib"
            mount -t tmpfs tmpfs "$R/boot"
            ;;
        dom0)
            mount --rbind "$SBX_TREE/boot" "$R/boot"
            mkdir -p "$SBX_TREE/var/lib"
            mount --bind "$SBX_TREE/var/lib" "$R/var/lib"
            if [ -d "$SBX_TREE/var/log/xen" ]; then
                mkdir -p "$R/var/log/xen"
                mount --bind "$SBX_TREE/var/log/xen" "$R/var/log/xen"
            fi
            if [ -d "$SBX_TREE/root" ]; then mount --bind "$SBX_TREE/root" "$R/root"; fi
            if [ -d "$SBX_TREE/etc" ]; then
                (cd "$SBX_TREE/etc" && find . -type f) | while IFS= read -r f; do
                    mkdir -p "$R/etc/$(dirname "$f")"
                    [ -e "$R/etc/$f" ] || touch "$R/etc/$f"
                    mount --bind "$SBX_TREE/etc/$f" "$R/etc/$f"
                done
            fi
            ;;
        esac
        exec chroot "$R" "$@"
        """#
}
