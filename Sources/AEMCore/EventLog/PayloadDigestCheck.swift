/// Checks events whose digest is defined by their own payload.
///
/// For these types the digest must equal the hash of the event data; a
/// difference means the log was edited or the firmware is buggy. It is a
/// warning, not an error: the TPM extended the digest, so replay must too.
enum PayloadDigestCheck {
    static func warnings(for log: EventLog) -> [EventLogWarning] {
        var warnings = [EventLogWarning]()
        for event in log.events where event.affectsPCR {
            guard let candidates = payloads(of: event) else { continue }
            for digest in event.digests where digest.algorithm.isAvailable {
                let matches = candidates.contains { digest.algorithm.hash($0) == digest }
                if !matches {
                    warnings.append(
                        EventLogWarning(
                            sequence: event.sequence,
                            message:
                                "the \(digest.algorithm) digest of this \(event.type.name) event (PCR \(event.pcr)) "
                                + "does not match its payload"
                        ))
                    break
                }
            }
        }
        return warnings
    }

    /// The byte strings the digest may be computed from, nil when the type's
    /// digest is not defined by the payload.
    private static func payloads(of event: MeasurementEvent) -> [ArraySlice<UInt8>]? {
        switch event.type {
        case .sCRTMVersion, .separator, .efiVariableDriverConfig, .efiGPTEvent:
            return [event.data[...]]
        case .ipl where event.pcr == 12:
            // systemd-boot measures the kernel command line as logged.
            return [event.data[...]]
        case .ipl where event.pcr == 8:
            // GRUB logs "grub_cmd: <string>\0" or "kernel_cmdline: <string>\0"
            // and measures the string after the first space, with or without
            // its terminating NUL.
            guard let space = event.data.firstIndex(of: UInt8(ascii: " ")), event.data.last == 0,
                space + 1 < event.data.count
            else { return [] }
            let text = event.data[(space + 1)...]
            return [text.dropLast(), text]
        default:
            return nil
        }
    }
}
