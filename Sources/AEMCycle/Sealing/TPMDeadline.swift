import Foundation

/// Bounds every wait on the TPM. tpm2-tss's synchronous calls and tcsd
/// wait without limit for an answer, so a TPM (or a TCTI socket) that
/// accepts a command and never answers would hang the rpm trigger inside a
/// dnf transaction. Only TPM conversations run under the deadline, and
/// they come before any file is written, so ending the process then
/// leaves every file as it was.
public enum TPMDeadline {
    /// `AEM_RESEAL_TPM_TIMEOUT` seconds, else 60: a real TPM answers the
    /// tool's commands (PCR reads, one seal) in well under a second.
    public static var seconds: UInt32 {
        ProcessInfo.processInfo.environment["AEM_RESEAL_TPM_TIMEOUT"].flatMap(UInt32.init).map { max($0, 1) } ?? 60
    }

    /// The process's exit status when the deadline passes: the status of
    /// a TPM failure (`CycleError.tpm`), which the CLI's mapping test keeps equal.
    public static let exitStatus: Int32 = 3

    /// Runs `body`, a conversation with the TPM; if it has not returned
    /// after `seconds`, the process says so and exits with `exitStatus`.
    public static func guarding<Value, Failure: Error>(_ body: () throws(Failure) -> Value) throws(Failure) -> Value {
        signal(SIGALRM, expired)
        // A parent may hand the mask down with SIGALRM blocked (some process
        // spawners do); the deadline must fire regardless.
        var alarmOnly = sigset_t()
        sigemptyset(&alarmOnly)
        sigaddset(&alarmOnly, SIGALRM)
        pthread_sigmask(SIG_UNBLOCK, &alarmOnly, nil)
        alarm(seconds)
        defer { alarm(0) }
        return try body()
    }
}

/// Only async-signal-safe calls: one write, then _exit.
private let expired: @convention(c) (Int32) -> Void = { _ in
    let message: StaticString = """
        aem-reseal: error: the TPM did not answer in time (AEM_RESEAL_TPM_TIMEOUT); nothing was changed. \
        Check the TPM (for example `tpm2_pcrread`), then run `sudo aem-reseal stage` by hand.

        """
    _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
    _exit(TPMDeadline.exitStatus)
}
