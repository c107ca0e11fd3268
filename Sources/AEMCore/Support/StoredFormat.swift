/// The version of the records aem-reseal keeps on dom0's encrypted root
/// (the snapshot of /boot, the ledger of what dom0 wrote), one number for
/// all of them. A record without it was written by an earlier version;
/// each reader says what such a record may still tell.
public enum StoredFormat {
    /// 2: paths are bytes (`StoredPath`), and what a record could not
    /// learn is kept as unknown, with its reason.
    public static let version = 2
}
