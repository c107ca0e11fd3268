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
            return [.noSharedBank(live: live.banks, log: replayed.banks)]
        }
        var problems = [SelfCheckProblem]()
        for bank in banks.sorted() {
            for pcr in replayed.pcrs(in: bank) where EventLogReplay.dynamicPCRs.contains(pcr) {
                guard let value = live[bank, pcr], let replay = replayed[bank, pcr], value != replay else { continue }
                problems.append(
                    .logDoesNotReplay(
                        pcr: pcr, live: value, replayed: replay,
                        events: log.events.filter { $0.pcr == pcr && $0.affectsPCR && $0.digest(bank) != nil }.map(
                            \.sequence)))
            }
        }
        return problems
    }
}
