import ArgumentParser
import Foundation

/// Exit statuses the tool promises (documented in the man page).
enum ExitStatus {
    /// Success, or a prediction whose self-check is `ok` or `unconfirmed`.
    static let success: Int32 = 0
    /// The prediction's self-check found a mismatch.
    static let mismatch: Int32 = 1
    /// Bad input: unreadable or malformed file, missing boot entry, bad option.
    static let badInput: Int32 = 2
    /// The TPM could not be read or refused an operation.
    static let tpmUnavailable: Int32 = 3
    /// The boot the log describes does not fit this machine's TPM (a TPM 2.0 log on a TPM 1.2).
    static let unsupported: Int32 = 4
    /// A confirmation or password is needed and could not be asked for.
    static let needsUser: Int32 = 5
}

/// Prints `aem-reseal: error: <message>` to standard error, control
/// characters from untrusted input escaped (`VisibleText`), and returns the
/// exit code to throw.
func failure(_ message: String, status: Int32 = ExitStatus.badInput) -> ExitCode {
    Terminal.standardError.write("aem-reseal: error: \(VisibleText.escaping(message))\n")
    return ExitCode(status)
}
