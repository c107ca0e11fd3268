import AEMCore

/// Versions of the boot components, for the "what changed" list: the new
/// one from the file GRUB will load, the running one from the boot record
/// or the running system.
public struct ComponentVersions {
    public var layout: SystemLayout
    public var record: BootRecord?

    public init(layout: SystemLayout, record: BootRecord?) {
        self.layout = layout
        self.record = record
    }

    /// `xen-4.17.3.gz` -> `4.17.3`, `vmlinuz-6.6.21-1.qubes.fc37.x86_64` ->
    /// `6.6.21-1.qubes.fc37.x86_64`, `initramfs-<release>.img` -> `<release>`.
    public static func version(fromPath path: String) -> String? {
        guard var name = path.split(separator: "/").last.map(String.init) else { return nil }
        for suffix in [".gz", ".img", ".xz"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        for prefix in ["xen-", "vmlinuz-", "vmlinux-", "initramfs-", "initrd-", "initrd.img-"]
        where name.hasPrefix(prefix) {
            return String(name.dropFirst(prefix.count))
        }
        return nil
    }

    /// The version of the module the next boot loads.
    public func new(_ module: PredictedModule) -> String? { Self.version(fromPath: module.image.grubPath) }

    /// The version of the module this boot loaded.
    public func running(_ module: PredictedModule) -> String? {
        if let record, module.index < record.modules.count,
            let version = Self.version(fromPath: record.modules[module.index].path)
        {
            return version
        }
        switch module.role {
        case .xen: return layout.runningXenVersion()
        case .dom0Kernel, .initramfs: return layout.runningKernelRelease()
        case .other: return nil
        }
    }

    /// The next boot's MLE (tboot, or Xen under TrenchBoot): its version, or its path.
    public func new(_ mle: PredictedMLE) -> String { Self.version(fromPath: mle.path) ?? mle.path }

    /// The MLE this boot launched: the booted or recorded file's version
    /// (or path: tboot's name has none), or the running Xen's under TrenchBoot.
    public func running(_ mle: PredictedMLE) -> String? {
        if let path = mle.bootedFile ?? record?.mle?.path { return Self.version(fromPath: path) ?? path }
        return mle.launcher == .trenchBoot ? layout.runningXenVersion() : nil
    }
}
