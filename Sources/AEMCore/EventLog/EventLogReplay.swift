/// Computes the PCR values an event log leads to, bank by bank.
///
/// Semantics, per the TCG PC Client and Intel TXT specifications:
/// - PCRs 0-16 and 23 reset to zero; PCR 0 ends in the startup locality
///   (3, or 4 after an H-CRTM event).
/// - PCRs 17-22 read all-ones until a dynamic launch resets them to zero.
///   A DRTM log records such a launch, so they start at zero.
/// - TXT's HASH_START event carries the resulting PCR 17 value: it sets PCR
///   17 rather than extending it.
/// - EV_NO_ACTION events and events on PCR 255 are never extended.
/// - An event extends only the banks it carries a digest for.
public enum EventLogReplay {
    /// The DRTM PCRs reset by a dynamic launch.
    public static let dynamicPCRs: ClosedRange<UInt32> = 17...22

    /// Replays every event of the log.
    public static func replay(_ log: EventLog) -> PCRValues {
        replay(log.events, of: log)
    }

    /// Replays `events` (typically the log's own, or a prediction with some
    /// of them substituted) with the reset values of `log`.
    ///
    /// The result holds every PCR an event touched, and after a dynamic
    /// launch all of PCRs 17-22, in every bank of the log.
    public static func replay(_ events: [MeasurementEvent], of log: EventLog) -> PCRValues {
        var values = PCRValues()
        let banks = Set(log.computableBanks)
        if log.recordsDynamicLaunch {
            for bank in banks {
                for pcr in dynamicPCRs { values[bank, pcr] = .zero(bank) }
            }
        }
        let hcrtm = events.contains { $0.type == .efiHCRTMEvent && $0.pcr == 0 }
        let locality = hcrtm ? EventLogQuirks.hcrtmLocality : (log.startupLocality ?? 0)

        for event in events where event.affectsPCR {
            for digest in event.digests where banks.contains(digest.algorithm) {
                let bank = digest.algorithm
                if event.type == .txtHashStart && event.pcr == 17 {
                    values[bank, 17] = digest
                    continue
                }
                let current = values[bank, event.pcr] ?? resetValue(bank: bank, pcr: event.pcr, locality: locality)
                values[bank, event.pcr] = current.extended(with: digest)
            }
        }
        return values
    }

    /// The value a PCR holds before the first event of a log extends it.
    public static func resetValue(bank: HashAlgorithm, pcr: UInt32, locality: UInt8 = 0) -> Digest {
        if dynamicPCRs.contains(pcr) { return .ones(bank) }
        var bytes = [UInt8](repeating: 0, count: bank.digestSize)
        if pcr == 0 { bytes[bytes.count - 1] = locality }
        return Digest(algorithm: bank, bytes: bytes)
    }

    /// The locality from the log's StartupLocality event, if it has one.
    static func startupLocality(of log: EventLog) -> UInt8? {
        log.events.lazy.compactMap(EventLogQuirks.startupLocality(of:)).first
    }
}
