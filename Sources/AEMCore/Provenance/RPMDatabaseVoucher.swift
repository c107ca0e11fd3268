import SystemPackage

/// Vouches for a file whose SHA-256 is the digest the rpm database records
/// for its path in an installed package: dnf checked the package's
/// signature, and the database lives on the encrypted root.
public struct RPMDatabaseVoucher: ProvenanceVoucher {
    /// The records for the files asked about, by rpm path; or why the
    /// database could not be read.
    public var records: Result<[String: [RPMDatabase.Record]], RPMDatabaseError>
    /// Where the boot partition lies under the system root (`/boot`):
    /// rpm names a partition file `/boot/vmlinuz-...`.
    public var bootPrefix: String

    public init(records: Result<[String: [RPMDatabase.Record]], RPMDatabaseError>, bootPrefix: String) {
        self.records = records
        self.bootPrefix = bootPrefix
    }

    /// The path rpm names the file by; nil for a name that is not UTF-8,
    /// which no query here can name (the file is then not vouched for).
    public static func rpmPath(_ partitionPath: FilePath, bootPrefix: String) -> String? {
        partitionPath.validString.map { (bootPrefix == "/" ? "" : bootPrefix) + $0 }
    }

    public func vouch(for file: BootFile) -> VoucherAnswer {
        guard let partitionPath = file.partitionPath else { return .declined("its real path could not be told") }
        guard let path = Self.rpmPath(partitionPath, bootPrefix: bootPrefix) else {
            return .declined(
                "its real path \(partitionPath.shown) is not UTF-8, which the rpm database is not asked about")
        }
        let owners: [RPMDatabase.Record]
        switch records {
        case let .failure(error): return .declined("the rpm database could not be asked: \(error)")
        case let .success(all): owners = all[path] ?? []
        }
        guard !owners.isEmpty else { return .declined("no installed package owns \(path)") }
        if let match = owners.first(where: {
            !$0.isGhost && $0.algorithm == RPMDatabase.sha256Algorithm && $0.digest == file.sha256.hex
        }) {
            return .vouched(.rpmDatabase, detail: "\(path) as installed by \(match.package)")
        }
        let packages = owners.map(\.package).joined(separator: ", ")
        if owners.allSatisfy(\.isGhost) {
            return .declined("\(packages) owns \(path) only as a %ghost, with no content to compare")
        }
        if !owners.contains(where: { $0.algorithm == RPMDatabase.sha256Algorithm }) {
            return .declined("\(packages) records no SHA-256 digest for \(path)")
        }
        return .declined("its SHA-256 is not the one \(packages) installed (changed since)")
    }
}
