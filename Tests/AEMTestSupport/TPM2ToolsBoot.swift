import Foundation

/// A dom0 booted into a chain on a fresh swtpm, with AEM set up and
/// the secrets sealed to that boot by AEM's own TPM commands and copied
/// to the media: the state every update test starts from.
public struct TPM2ToolsBoot {
    public var tree: BootTree
    public var tpm: SoftwareTPM
    /// The current boot's DRTM log (a file in the tree's folder).
    public var log: String
    /// tboot's text log of the boot, as txt-stat prints it.
    public var tbootText: String
    /// What `aem-reseal record` printed, when the record unit ran during the boot.
    public var recordOutput: String?

    /// Boots `chain` on a new swtpm whose SRK has `srkPassword`, with AEM
    /// installed in `tree` caching `cachedSRKPassword` (nil: none cached, as
    /// when AEM's initramfs did not run); `record` runs the boot's record
    /// unit (as every AEM boot does) before AEM's commands seal to PCRs 13, 17
    /// and 18.
    public static func boot(
        _ tree: BootTree, chain: SimulatedChain, srkPassword: String, cachedSRKPassword: String?, record: Bool = true
    ) throws -> TPM2ToolsBoot {
        try tree.installAEM(srkPassword: cachedSRKPassword)
        let tpm = try SoftwareTPM()
        try TPM2ToolsSeal.provisionSRK(on: tpm, password: srkPassword)
        try tree.showRunningCommandLines()
        let boot = try BootSimulator.simulate(chain, on: tpm)
        let log = try tree.directory.write("drtm.log", boot.log)
        let text = try tree.directory.write("txt-stat.txt", boot.tbootText)
        var recordOutput: String?
        if record {
            let result = try CLI.run(["record", "--root", tree.root, "--tcti", tpm.tcti, "--event-log", log])
            guard result.status == 0 else { throw Command.Failure(description: "record: \(result.stderr)") }
            recordOutput = result.stdout
        }
        try TPM2ToolsSeal.seal(
            on: tpm, plaintext: tree.plaintextSecrets, sealed: tree.sealedSet, pcrs: [13, 17, 18],
            srkPassword: srkPassword)
        try tree.copySealedSetToMedia()
        return TPM2ToolsBoot(tree: tree, tpm: tpm, log: log, tbootText: text, recordOutput: recordOutput)
    }
}
