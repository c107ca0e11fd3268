import Foundation
import SystemPackage

/// The rpm database asked on another thread while the prediction hashes
/// the modules: which files will need a voucher is known only once they
/// are hashed, but the paths they can have are known from GRUB's entry, and
/// one `rpm -q` for all of them costs the same as for a few. On a dom0 with
/// its real database the query takes longer than hashing a kernel; this way
/// it is paid while the initramfs is inflated.
///
/// A path the prefetch did not ask about (a module whose real path on the
/// partition differs from its GRUB path) is never taken as unowned: the
/// caller asks again, synchronously (`records(covering:)` returns nil).
public final class RPMRecordsPrefetch: @unchecked Sendable {
    /// The rpm paths asked about.
    public let paths: Set<String>
    private let finished = DispatchSemaphore(value: 0)
    // Written once by the querying thread before `finished` is signalled.
    private var answer: Result<[String: [RPMDatabase.Record]], RPMDatabaseError>?

    /// Starts the query for `paths` (as rpm names files: `/boot/...`).
    public init(database: RPMDatabase, paths: [String]) {
        self.paths = Set(paths)
        let thread = Thread { [self] in
            answer = Result { () throws(RPMDatabaseError) in try database.records(for: paths) }
            finished.signal()
        }
        thread.name = "aem-reseal rpm query"
        thread.start()
    }

    /// The answer when the query asked about every one of `needed`, waiting
    /// for it if it is still running; nil when it did not.
    public func records(covering needed: [String]) -> Result<[String: [RPMDatabase.Record]], RPMDatabaseError>? {
        guard Set(needed).isSubset(of: paths) else { return nil }
        finished.wait()
        defer { finished.signal() }
        return answer
    }

    /// The rpm paths of the files GRUB's `entry` names: its kernel (the
    /// launcher), modules and launch modules by their GRUB paths, and its
    /// configuration files.
    public static func paths(of entry: GrubBootEntry, bootPrefix: String) -> [String] {
        let grubPaths = [entry.kernelPath] + entry.modules.map(\.path) + entry.launchModules.map(\.path)
        let partitionPaths =
            grubPaths.compactMap(BootPartition.relativePath).map { FilePath($0) }
            + entry.configurationFiles.compactMap(\.partitionPath)
        return partitionPaths.compactMap { RPMDatabaseVoucher.rpmPath($0, bootPrefix: bootPrefix) }
    }
}
