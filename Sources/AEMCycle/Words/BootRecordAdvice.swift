import AEMCore
import Foundation

/// Whether this boot has a boot record, and why a missing one matters: the
/// record is the only evidence of what this boot measured that survives an
/// update replacing a booted file (Xen, tboot, the kernel), and the
/// snapshot of /boot that vouches for an initramfs dracut writes later.
public struct BootRecordAdvice {
    /// This boot's record, when `aem-reseal record` made one.
    public var record: BootRecord?

    public init(_ context: BootContext) throws(CycleError) {
        record = try context.bootRecord()
    }

    /// Why a boot without a record cannot seal every update ahead.
    public static let missing =
        "no boot record for this boot yet: an update that replaces a booted file (Xen, tboot, the dom0 kernel) "
        + "can then be sealed ahead only while the booted file is still on /boot, and an initramfs written "
        + "during this boot is not vouched for"

    /// How to make one.
    public static let fix =
        "run `sudo aem-reseal record` now, before updating (aem-reseal-record.service does it at every AEM "
        + "boot; `sudo systemctl enable aem-reseal-record.service` if it is off)"

    /// One line for `status`.
    public var statusLine: String {
        guard let record else { return "Boot record: \(Self.missing). To make one, \(Self.fix)." }
        return "Boot record: made at this boot (\(record.modules.count) module(s); \(record.logSource))."
    }
}
