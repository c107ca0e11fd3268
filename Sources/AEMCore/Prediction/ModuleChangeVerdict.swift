/// Whether a module's file and command line changed since the current boot,
/// decided on the strongest rung of the evidence ladder available
/// (`ChangeEvidence`): the boot record, then the logged measurement itself,
/// then the booted file found on /boot, and for the command line the string
/// tboot printed. Without any of them the verdict is "unknown", which
/// counts as changed: it cannot vouch for the model.
struct ModuleChangeVerdict {
    /// The module's role: Xen's and dom0's command lines are the ones the
    /// running system shows.
    var role: ModuleRole
    /// What `aem-reseal record` stored for this module during this boot.
    var recorded: RecordedModule?
    /// The command line this boot ran the module with, as the running
    /// system shows it (Xen's console, dom0's `/proc/cmdline`); nil for
    /// modules it shows none of.
    var bootedCommandLine: String?
    /// Whether the flow hashes the module's command line into its event
    /// (tboot does; under TrenchBoot it goes to PCR 18 only).
    var measuresCommandLine: Bool
    /// The command line tboot printed for this module at this boot.
    var tbootCommandLine: String?
    /// Whether file and command line recompute to this boot's logged measurement.
    var reproducesLog: Bool
    /// Another file on /boot that recomputes to it (with this command line).
    var bootedFile: LoadedModuleImage?

    func image(_ image: LoadedModuleImage) -> ChangeFinding {
        if let recorded {
            guard recorded.path == image.grubPath else {
                return ChangeFinding(
                    state: .changed, rung: .bootRecord,
                    evidence: "a different file than at boot (\(recorded.path), per the boot record)")
            }
            return recorded.fileSHA256 == image.fileDigest.hex
                ? ChangeFinding(state: .unchanged, rung: .bootRecord, evidence: "same SHA-256 as recorded at boot")
                : ChangeFinding(
                    state: .changed, rung: .bootRecord, evidence: "SHA-256 differs from the one recorded at boot")
        }
        if reproducesLog {
            return ChangeFinding(
                state: .unchanged, rung: .loggedMeasurement,
                evidence: "it recomputes to the measurement this boot logged")
        }
        if let bootedFile {
            return ChangeFinding(
                state: .changed, rung: .bootedFileOnBoot,
                evidence: "this boot measured \(bootedFile.grubPath), still on /boot; \(image.grubPath) is another file"
            )
        }
        return ChangeFinding(
            state: .unknown, rung: .none,
            evidence:
                "no boot record, it does not recompute to this boot's logged measurement, and no "
                + "other file on /boot does"
        )
    }

    /// Whether the module's file is at the path the booted one was: the
    /// boot record names that path; a file that reproduces the log is the
    /// booted content wherever it lies; a booted file found elsewhere is not.
    func samePath(_ image: LoadedModuleImage) -> Bool? {
        if let recorded { return recorded.path == image.grubPath }
        if reproducesLog { return true }
        if bootedFile != nil { return false }
        return nil
    }

    /// Where the flow does not measure command lines, Xen's and dom0's are
    /// judged only against the ones the running system shows (a boot
    /// record's, evaluated from grub.cfg, is no evidence of what booted:
    /// GRUB may have chosen otherwise at boot); where it does, the log's
    /// rungs come first and the running system's is a last resort.
    func commandLine(_ commandLine: String) -> ChangeFinding {
        let booted = bootedCommandLine.map { booted in
            booted == commandLine
                ? ChangeFinding(
                    state: .unchanged, rung: .bootedCommandLine, evidence: "same as this boot's own, byte for byte")
                : ChangeFinding(
                    state: .changed, rung: .bootedCommandLine, evidence: "differs from the one this boot ran with")
        }
        if !measuresCommandLine, bootedCommandLine != nil || role.showsCommandLine { return booted ?? unknownBooted }
        if let recorded {
            return recorded.commandLine == commandLine
                ? ChangeFinding(state: .unchanged, rung: .bootRecord, evidence: "same as recorded at boot")
                : ChangeFinding(state: .changed, rung: .bootRecord, evidence: "differs from the one recorded at boot")
        }
        if let tbootCommandLine {
            return tbootCommandLine == commandLine
                ? ChangeFinding(state: .unchanged, rung: .tbootLog, evidence: "same as tboot printed at this boot")
                : ChangeFinding(
                    state: .changed, rung: .tbootLog, evidence: "differs from what tboot printed at this boot")
        }
        if reproducesLog {
            return ChangeFinding(
                state: .unchanged, rung: .loggedMeasurement,
                evidence: "the module recomputes to the measurement this boot logged")
        }
        if bootedFile != nil {
            return ChangeFinding(
                state: .unchanged, rung: .bootedFileOnBoot,
                evidence: "with it, the file this boot measured recomputes to the logged measurement")
        }
        if let booted { return booted }
        return ChangeFinding(
            state: .unknown, rung: .none,
            evidence: "no boot record, no tboot log text, and no file reproduces the logged measurement")
    }

    /// What the running system shows no command line for (dom0 without /proc/cmdline).
    private var unknownBooted: ChangeFinding {
        ChangeFinding(
            state: .unknown, rung: .none, evidence: "the running system does not show the command line this boot used")
    }
}

extension ModuleRole {
    /// Whether the running system shows the command line this boot gave
    /// the module (Xen prints its own; dom0's is `/proc/cmdline`).
    var showsCommandLine: Bool { self == .xen || self == .dom0Kernel }
}
