import Foundation
import SystemPackage

/// An evil maid with /boot to themselves while dom0 is off, for the
/// generative attacker test: from a seed, a handful of plantings aimed at
/// the boot that the *next* genuine Xen update brings (so that the boot in
/// between, which shows the secret, is untouched). Each planting is one of
/// the ways to hide a file from the boot's snapshot or to make GRUB choose
/// it later: odd byte names, links into folders that are not UTF-8 or lie
/// too deep, sizes around every bound, sparse hog files, a `custom.cfg`
/// that acts once the new Xen exists, `grubenv` entries, and copies of
/// genuine files where they do not belong.
public struct OfflineAttacker {
    /// What one planting does, in words, for the report of a seed.
    public var plantings: [String] = []
    /// Every file the attacker wrote (as paths under /boot, bytes exactly).
    public private(set) var plantedFiles: [FilePath] = []
    /// Whether hog files were planted (the seed's boot is then shut down
    /// with `record --shutdown`, and the hogs removed while off again).
    public private(set) var hogFolders: [String] = []

    let tree: BootTree
    /// The older genuine kernel (installed, not booted): its files are the
    /// attacker's best targets, as its entry only boots if chosen.
    let older: String
    /// The running kernel and the Xen the update brings.
    let kernel: String
    let newXen: String
    var random: SeededRandom

    public init(seed: UInt64, tree: BootTree, older: String, kernel: String, newXen: String) {
        random = SeededRandom(seed: seed)
        self.tree = tree
        self.older = older
        self.kernel = kernel
        self.newXen = newXen
    }

    /// Plants one to four things.
    public mutating func plant() throws {
        for _ in 0..<random.int(1...4) {
            switch random.int(0...5) {
            case 0: try replaceOlderModule("initramfs-\(older).img")
            case 1: try replaceOlderModule("vmlinuz-\(older)")
            case 2: try customConfiguration()
            case 3: try environment()
            case 4: try hogs()
            default: try genuineCopyWhereItDoesNotBelong()
            }
        }
    }

    // MARK: Plantings

    /// The older kernel's file replaced by planted bytes: in place (tiny,
    /// or just over 1 GiB of holes), or by a link into a folder whose name
    /// is not UTF-8, or into a folder deeper than the snapshot descends.
    mutating func replaceOlderModule(_ name: String) throws {
        let content = Array("070701".utf8) + Array("planted \(name) \(random.next())".utf8)
        let target = tree.boot + "/" + name
        try? FileManager.default.removeItem(atPath: target)
        switch random.int(0...3) {
        case 0:
            try write(FilePath(target), content)
            plantings.append("\(name): planted in place")
        case 1:
            try write(FilePath(target), content, sparseSize: (1 << 30) + Int64(random.int(-1...1)))
            plantings.append("\(name): planted in place, 1 GiB of holes")
        case 2:
            let folder = oddName()
            try link(FilePath(target), to: folder + [UInt8(ascii: "/")] + Array(name.utf8), content: content)
            plantings.append("\(name): a link into a folder named \(FilePath(bytes: folder)!.shown)")
        default:
            let deep = (0..<8).map { _ in "d" }.joined(separator: "/")
            try link(FilePath(target), to: Array("\(deep)/\(name)".utf8), content: content)
            plantings.append("\(name): a link into a folder 8 levels deep")
        }
    }

    /// A `custom.cfg` (which the `41_custom` block sources) that, once the
    /// new Xen is on /boot, makes its own entry the default: the genuine
    /// command lines, with (or without) Xen's IOMMU off and dom0 in a
    /// shell, on the running or the older kernel with whatever initramfs is
    /// there. In place or behind an odd link;
    /// sized around the evaluator's 4 MiB bound.
    mutating func customConfiguration() throws {
        let kernel = random.chance(50) ? self.kernel : older
        let body = """
            if [ -f /xen-\(newXen).gz ]; then
              set default=aem-planted
              menuentry 'AEM Qubes, with Xen hypervisor' --id aem-planted {
                multiboot /tboot.gz \(BootTree.tbootCommandLine)
                module /xen-\(newXen).gz \(tree.expectedXenCommandLine()) \(random.pick(["iommu=0", "dom0_mem=max:4096M", ""]))
                module /vmlinuz-\(kernel) \(tree.expectedKernelCommandLine()) \(random.pick(["init=/bin/sh", "rd.break", ""]))
                module /initramfs-\(kernel).img
                module /GM45_GS45_PM45_SINIT_51.BIN
              }
            fi

            """
        let size = random.pick([0, (4 << 20) - 1, 4 << 20, (4 << 20) + 1])
        let padding = max(0, size - body.utf8.count - 3)
        let text = "# " + String(repeating: "x", count: padding) + "\n" + body
        let target = FilePath(tree.boot + "/grub2/custom.cfg")
        if random.chance(50) {
            try write(target, Array(text.utf8))
            plantings.append("custom.cfg: planted in place, \(text.utf8.count) bytes")
        } else {
            let folder = oddName()
            try link(target, to: Array("../".utf8) + folder + Array("/custom.cfg".utf8), content: Array(text.utf8))
            plantings.append("custom.cfg: a link into a folder named \(FilePath(bytes: folder)!.shown)")
        }
    }

    /// `grubenv` naming an entry that only the update brings (by titles,
    /// so that nothing matches until then), the older kernel's or its
    /// recovery entry, as `saved_entry` or `next_entry`.
    mutating func environment() throws {
        let recovery = random.chance(30) ? " (recovery mode)" : ""
        let path =
            "Advanced options with AEM boot for Qubes (with Xen hypervisor)>Xen hypervisor, version \(newXen)"
            + ">AEM Qubes, with Xen \(newXen) and Linux \(older)\(recovery)"
        let name = random.chance(70) ? "saved_entry" : "next_entry"
        try tree.writeGrubEnvironment([name: path])
        plantedFiles.append(FilePath(tree.boot + "/grub2/grubenv"))
        plantings.append("grubenv: \(name) names the older kernel\(recovery) under Xen \(newXen)")
    }

    /// Sparse files sized around the snapshot's bounds, so that the files
    /// after them are hashed last or not at all.
    mutating func hogs() throws {
        let folder = tree.boot + "/" + random.pick(["hogs", "aaa", "grub2/fonts-x"])
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let size = Int64(random.pick([(4 << 20) - 1, 4 << 20, 1 << 30]))
        let count = size >= 1 << 30 ? random.int(8...10) : random.int(2000...2100)
        for index in 0..<count {
            let hog = folder + "/\(index)"
            FileManager.default.createFile(atPath: hog, contents: nil)
            guard truncate(hog, off_t(size)) == 0 else { throw Errno(rawValue: errno) }
        }
        hogFolders.append(folder)
        plantings.append("\(count) hog files of \(size) bytes in \(folder.dropFirst(tree.boot.count))")
    }

    /// A genuine file's bytes where they do not belong: the running
    /// kernel's initramfs as the older kernel's.
    mutating func genuineCopyWhereItDoesNotBelong() throws {
        let bytes = try tree.directory.read("boot/initramfs-\(kernel).img")
        let target = FilePath(tree.boot + "/initramfs-\(older).img")
        try? FileManager.default.removeItem(atPath: target.string)
        try write(target, bytes)
        plantings.append("initramfs-\(older).img: a copy of the running kernel's initramfs")
    }

    // MARK: Writing

    /// A folder name that is not UTF-8 (and, once in a while, one that is
    /// but looks alike).
    mutating func oddName() -> [UInt8] {
        let odd: [[UInt8]] = [[0xFF], [0xFE, 0x2E], [0xC3, 0x28], [0xE2, 0x82], [0x80, 0x61], Array("grub2 ".utf8)]
        return random.pick(odd)
    }

    /// Writes `bytes` at `path` (made of bytes), its size extended with a
    /// hole to `sparseSize` when given.
    mutating func write(_ path: FilePath, _ bytes: [UInt8], sparseSize: Int64? = nil) throws {
        let file = try FileDescriptor.open(
            path, .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
        try file.closeAfter {
            _ = try file.writeAll(bytes)
            if let sparseSize {
                guard ftruncate(file.rawValue, off_t(sparseSize)) == 0 else { throw Errno(rawValue: errno) }
            }
        }
        plantedFiles.append(path)
    }

    /// Makes `path` a link to `target` (relative, bytes), and writes
    /// `content` where it points, making the folders on the way.
    mutating func link(_ path: FilePath, to target: [UInt8], content: [UInt8]) throws {
        let resolved = FilePath(bytes: path.removingLastComponent().bytes + [UInt8(ascii: "/")] + target)!
            .lexicallyNormalized()
        var folder = FilePath(root: "/")
        for component in resolved.removingLastComponent().components {
            folder = folder.appending(component)
            folder.withPlatformString { _ = mkdir($0, 0o755) }
        }
        try write(resolved, content)
        try path.withPlatformString { source in
            try FilePath(bytes: target)!.withPlatformString { destination in
                guard symlink(destination, source) == 0 else { throw Errno(rawValue: errno) }
            }
        }
        plantedFiles.append(path)
    }
}
