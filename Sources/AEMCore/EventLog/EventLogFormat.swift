/// The on-disk or in-memory shape an event log came in.
///
/// Raw values are part of the tool's JSON interface (`eventlog replay --json`).
public enum EventLogFormat: String, Sendable, Codable, CaseIterable {
    /// TCG PC Client crypto-agile log (`Spec ID Event03` header, TCG_PCR_EVENT2 records):
    /// UEFI firmware logs and TXT's TPM 2.0 "TCG" DRTM log.
    case tcg2
    /// TCG 1.2 SHA-1 log (TCG_PCR_EVENT records): firmware logs of TPM 1.2 machines.
    case tcg1
    /// TPM 1.2 TXT "TXT Event Container".
    case txt12
    /// TXT TPM 2.0 legacy per-algorithm log (one log per bank).
    case txt2Legacy = "txt2-legacy"
    /// tboot's memory log image (physical 0x60000), binary header plus text.
    case tbootMemoryLog = "tboot-memlog"
    /// tboot's memory log as text (what `txt-stat` prints).
    case tbootText = "tboot-text"
}
