import AEMCore

/// The tests' view of a sealed set in a folder, read as the tool reads it
/// (`StoredSealedSet`): nil or false when there is none or it cannot be read.
extension SealedSet {
    public static func fingerprint(at path: String) -> String? {
        ((try? StoredSealedSet.read(at: path)) ?? nil)?.fingerprint
    }

    public static func isComplete(at path: String) -> Bool {
        ((try? StoredSealedSet.read(at: path)) ?? nil)?.isComplete == true
    }

    public static func format(at path: String) -> TPMVersion? { ((try? StoredSealedSet.read(at: path)) ?? nil)?.format }
}
