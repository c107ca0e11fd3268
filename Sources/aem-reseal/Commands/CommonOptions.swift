import AEMCore
import AEMCycle
import ArgumentParser

/// Where the system lives and which boot is meant.
struct SystemOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Treat DIR as the root of the system: boot, etc, var, run, proc, sys and dev are read under it.",
            valueName: "dir"), completion: .directory)
    var root = "/"

    @Option(help: ArgumentHelp("The boot partition (default: <root>/boot).", valueName: "dir"), completion: .directory)
    var bootDir: String?

    @Option(
        name: .customLong("grub-cfg"),
        help: ArgumentHelp("GRUB's configuration (default: <boot>/grub2/grub.cfg).", valueName: "file"),
        completion: .file())
    var grubConfig: String?

    @Option(
        help: ArgumentHelp(
            "The GRUB entry to predict: a title, an id, an index or a '>'-separated path "
                + "(default: GRUB's default entry).",
            valueName: "entry"))
    var entry: String?

    @Option(
        help: ArgumentHelp("The current boot's DRTM event log (TXT or TCG format, or tboot's log).", valueName: "file"),
        completion: .file())
    var eventLog: String?

    @Option(
        help: ArgumentHelp(
            "tboot's memory log (txt-stat output or a memory image): the module lines tboot printed.", valueName: "file"
        ), completion: .file())
    var tbootLog: String?

    @Option(
        help: ArgumentHelp(
            "Where the AEM media is mounted (default: found from aem.uuid on the kernel command line).",
            valueName: "dir"), completion: .directory)
    var media: String?

    /// The options as the engines take them.
    var selection: SystemSelection {
        SystemSelection(
            root: root, bootDirectory: bootDir, grubConfiguration: grubConfig, entry: entry, eventLog: eventLog,
            tbootLog: tbootLog, media: media)
    }

    var layout: SystemLayout { selection.layout }
}

/// Which AEM installation is meant, for the commands that touch sealed sets.
struct LabelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The AEM label (default: aem plus the suffix AEM cached at boot).", valueName: "label"))
    var label: String?
}

/// How to reach the TPM.
struct TPMOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The TPM 2.0 TCTI (default: $TPM2TOOLS_TCTI, else device:/dev/tpmrm0). A TPM 1.2 is reached "
                + "through tcsd ($TSS_TCSD_PORT).",
            valueName: "tcti"))
    var tcti: String?

    @Option(
        help: ArgumentHelp(
            "The TPM's version (default: as AEM detects it, from /sys/class/tpm/tpm0/tpm_version_major "
                + "under --root, else 2.0).",
            valueName: "1.2|2.0"))
    var tpmVersion: TPMVersion?
}

/// Where the live PCR values come from when not from the TPM: for the
/// commands that only compare with them (predict, checklist). `stage`
/// seals with the TPM it reads, so it has neither option.
struct LivePCROptions: ParsableArguments {
    @OptionGroup var file: PCRsFileOption

    @Flag(help: "Do not use a TPM: the self-check cannot compare with live PCRs.")
    var noTpm = false

    var pcrsFile: String? { file.pcrsFile }

    func validate() throws {
        if noTpm && pcrsFile != nil { throw ValidationError("--no-tpm and --pcrs-file exclude each other") }
    }
}

/// `--pcrs-file`: alone for `verify` and `record`, which need live values;
/// with `--no-tpm` in `LivePCROptions`.
struct PCRsFileOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Live PCR values from a file (JSON {bank: {pcr: hex}} or tpm2_pcrread YAML) instead of the TPM.",
            valueName: "file"), completion: .file())
    var pcrsFile: String?
}

extension TPMChoice {
    /// A command that needs the TPM itself (`stage`).
    init(_ tpm: TPMOptions) {
        self.init(
            tcti: tpm.tcti, tpmVersion: tpm.tpmVersion,
            alternatives:
                "stage seals with this TPM: check that the TCTI names it (--tcti) and that no other program holds it")
    }

    /// A command that compares with live values only (`verify`, `record`).
    init(_ tpm: TPMOptions, pcrsFile: String?) {
        self.init(
            tcti: tpm.tcti, tpmVersion: tpm.tpmVersion, pcrsFile: pcrsFile,
            alternatives: "Use --pcrs-file FILE to give the live values.")
    }

    init(_ tpm: TPMOptions, _ live: LivePCROptions) {
        self.init(
            tcti: tpm.tcti, tpmVersion: tpm.tpmVersion, pcrsFile: live.pcrsFile, noTpm: live.noTpm,
            alternatives: "Use --pcrs-file FILE or --no-tpm to predict without the TPM.")
    }
}

extension TPMVersion: ExpressibleByArgument {}

/// How to print.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Never colour the output.")
    var noColor = false

    var style: Style { Style(noColor: noColor || json) }
}
