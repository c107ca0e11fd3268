/// A fact of the running machine an engine reads: the one rule for all of
/// them is that absent is nil and unreadable is an error
/// (`CycleError.unreadable`), never taken for absent.
public enum MachineFact: Sendable, Equatable {
    /// `btime` in /proc/stat: names this boot's record and staged set.
    case bootTime
    /// /sys/class/tpm/tpm0/tpm_version_major, as AEM reads it.
    case tpmVersion
    /// This boot's record (`/var/lib/aem-reseal/boots/<btime>/record.json`).
    case bootRecord
    /// The folder of boot records.
    case bootRecords
    /// This boot's snapshot of /boot.
    case bootSnapshot
    /// The ledger of what a running dom0 wrote to /boot.
    case writtenFilesLedger
    /// The running kernel's command line (/proc/cmdline).
    case kernelCommandLine
    /// Xen's console log of this boot.
    case xenConsole
    /// The mount table and the `/dev/disk/by-uuid` links (which file system /boot is).
    case mountTable
}
