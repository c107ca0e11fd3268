/// Whether a DRTM log is the running boot's: replayed, it must give the
/// live value of every dynamic PCR (17-22) it touches, in every bank both
/// have. Used by the prediction's self-check and by `record`, which must
/// not keep a log of another boot as evidence.
public enum LiveReplayCheck {
    /// The disagreements, each with the PCR, bank, both values and the log
    /// events behind the value; empty when the log fits.
    public static func problems(log: EventLog, replayed: PCRValues, live: PCRValues) -> [SelfCheckProblem] {
        let banks = Set(replayed.banks).intersection(live.banks)
        guard !banks.isEmpty else {
            return [SelfCheckProblem(
                component: "DRTM log replay", pcr: nil, bank: nil, expected: nil, found: nil,
                message: "the live PCRs (banks \(live.banks.map(\.rawValue).joined(separator: ", "))) share no bank with the log (\(replayed.banks.map(\.rawValue).joined(separator: ", ")))",
                events: [])]
        }
        var problems = [SelfCheckProblem]()
        for bank in banks.sorted() {
            for pcr in replayed.pcrs(in: bank) where EventLogReplay.dynamicPCRs.contains(pcr) {
                guard let value = live[bank, pcr], let replay = replayed[bank, pcr], value != replay else { continue }
                problems.append(SelfCheckProblem(
                    component: "DRTM log replay", pcr: pcr, bank: bank.rawValue, expected: value.hex, found: replay.hex,
                    message: "the current boot's log does not replay to the live PCR value: the log is incomplete or not this boot's",
                    events: log.events.filter { $0.pcr == pcr && $0.affectsPCR && $0.digest(bank) != nil }.map(\.sequence)))
            }
        }
        return problems
    }
}
