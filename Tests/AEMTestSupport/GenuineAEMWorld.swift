import AEMCore
import Foundation

/// A dom0 with Qubes' own AEM set up on a TPM 2.0 or 1.2, booted through
/// simulated dynamic launches: /boot is a real ext4 file system (label
/// `aem`, the `aem.uuid` of the command line: AEM installed on /boot), the
/// root's LUKS container is real (its header is what AEM's unseal
/// measures into PCR 13), and every AEM step is the upstream script's:
/// `anti-evil-maid-tpm-setup`, then at each boot `anti-evil-maid-unseal`
/// in the initramfs and `anti-evil-maid-seal` in dom0.
public final class GenuineAEMWorld: @unchecked Sendable {
    /// Which secrets the user set up.
    public enum Secrets: Sendable {
        /// `secret.txt`, shown at boot.
        case text
        /// AEM's multi-factor mode: a TOTP seed (`secret.otp`) and a LUKS
        /// key file encrypted with a password (`secret.key`).
        case multiFactor
    }

    public let tree: BootTree
    /// The machine's TPM, 2.0 or 1.2.
    public let machineTPM: GenuineAEM.TPM
    public let aem: GenuineAEM
    public let bootDevice: LoopDevice
    public let luksDevice: LoopDevice
    let devices: TemporaryDirectory

    public let secrets: Secrets
    /// The SRK password `anti-evil-maid-tpm-setup` set (nil: none, `-z`).
    public let srkPassword: String?
    /// The TOTP seed (base32) in multi-factor mode.
    public static let totpSeed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    /// The LUKS key file and the password it is encrypted with (scrypt).
    public let keyFile = testBytes(64, seed: 123)
    public static let keyFilePassword = "correct horse battery"

    /// Which AEM's `/etc/anti-evil-maid.conf` dom0 has.
    public enum Configuration: Sendable {
        /// Qubes' file with the user's `SEAL` (tboot on TPM 2.0: 13, 17
        /// and 18, since tboot never extends 19 there).
        case qubes(seal: String)
        /// TrenchBoot's fork's file, unchanged (`SEAL` 13, 17, 18).
        case trenchBoot
    }

    /// Sets AEM up as a user does: `anti-evil-maid-tpm-setup` (`-z` unless
    /// `srkPassword`), the media prepared, the secrets written.
    /// With `tpm12`, the TPM is a 1.2 behind TrouSerS, unowned until the setup.
    public init(
        configuration: Configuration = .qubes(seal: "--pcr 13 --pcr 17 --pcr 18"), srkPassword: String? = nil,
        secrets: Secrets = .text, tpm12: Bool = false
    ) throws {
        tree = try BootTree(tpmVersionMajor: tpm12 ? 1 : 2)
        devices = try TemporaryDirectory()
        self.secrets = secrets
        self.srkPassword = srkPassword
        bootDevice = try LoopDevice.ext4(in: devices, name: "boot", label: "aem", uuid: BootTree.bootUUID)
        luksDevice = try LoopDevice.luks(
            in: devices, name: "luks", uuid: String(BootTree.luksUUID.dropFirst("luks-".count)),
            passphrase: "disk password")
        try Self.move(tree.boot, onto: bootDevice, scratch: devices.path("mnt"))
        try tree.mountBootAsMedia()

        machineTPM = tpm12 ? .tpm12(try SoftwareTPM12(owned: false)) : .tpm20(try SoftwareTPM())
        let sandbox = try Dom0Sandbox(tree: tree)
        sandbox.devices = [bootDevice, luksDevice]
        aem = try GenuineAEM(sandbox: sandbox, tpm: machineTPM)
        try writeConfiguration(configuration)
        // As the anti-evil-maid package installs them.
        try FileManager.default.createDirectory(
            atPath: tree.directory.path("var/lib/anti-evil-maid"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            atPath: aem.sandbox.layerPath("/mnt/anti-evil-maid"), withIntermediateDirectories: true)
        // As the trousers package installs it (trousers-changer migrates it).
        if tpm12 {
            try FileManager.default.createDirectory(
                atPath: tree.directory.path("var/lib/tpm"), withIntermediateDirectories: true)
        }
        try aem.setUpTPM(srkPassword: srkPassword)
        try aem.prepareMedia()
        try writeSecrets()
    }

    /// The TPM 2.0 of a TPM 2.0 world.
    public var tpm: SoftwareTPM {
        guard case let .tpm20(tpm) = machineTPM else { preconditionFailure("a TPM 1.2 world has no TPM 2.0") }
        return tpm
    }

    /// The TPM 1.2 of a TPM 1.2 world.
    public var tpm12: SoftwareTPM12 {
        guard case let .tpm12(tpm) = machineTPM else { preconditionFailure("a TPM 2.0 world has no TPM 1.2") }
        return tpm
    }

    deinit {
        // The file system must leave the tree's folder before it is removed.
        try? bootDevice.unmount()
    }

    private func writeConfiguration(_ configuration: Configuration) throws {
        let upstream = Fixtures.root.appendingPathComponent("upstream")
        switch configuration {
        case let .qubes(seal):
            let text = try String(
                contentsOf: upstream.appendingPathComponent("qubes-antievilmaid/etc/anti-evil-maid.conf"),
                encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
                $0.hasPrefix("SEAL=") ? "SEAL=\"\(seal)\"" : String($0)
            }
            try tree.directory.write("etc/anti-evil-maid.conf", lines.joined(separator: "\n"))
        case .trenchBoot:
            try tree.directory.write(
                "etc/anti-evil-maid.conf",
                Array(
                    try Data(
                        contentsOf: upstream.appendingPathComponent("trenchboot-antievilmaid/etc/anti-evil-maid.conf")))
            )
        }
    }

    private func writeSecrets() throws {
        let folder = "var/lib/anti-evil-maid/aem/"
        switch secrets {
        case .text:
            try tree.directory.write(folder + "secret.txt", BootTree.secretText, mode: 0o600)
        case .multiFactor:
            try tree.directory.write(folder + "secret.otp", Self.totpSeed + "\n", mode: 0o600)
            let raw = try devices.write("raw-key", keyFile, mode: 0o600)
            try Command.check(
                "scrypt",
                ["enc", "-P", "--logN", "10", "-r", "8", "-p", "1", raw, tree.directory.path(folder + "secret.key")],
                stdin: Self.keyFilePassword + "\n")
        }
    }

    /// Puts what is in `folder` onto `device`'s file system and mounts it there.
    static func move(_ folder: String, onto device: LoopDevice, scratch: String) throws {
        try device.mount(at: scratch)
        try Command.check("cp", ["-a", folder + "/.", scratch])
        try device.unmount()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            try FileManager.default.removeItem(atPath: folder + "/" + name)
        }
        try device.mount(at: folder)
    }

    /// One boot, as a real AEM boot runs: a power cycle, the dynamic launch
    /// `launch` simulates (it returns the DRTM log), AEM's unseal in the
    /// initramfs (with /boot not mounted), then in dom0 aem-reseal's record
    /// unit (with `record`) and, when the unseal left its cache (as the
    /// seal service requires), AEM's seal.
    @discardableResult
    public func boot(
        answers: [String]? = nil, record: Bool = true, seal: Bool = true, launch: (SoftwareTPM) throws -> [UInt8]
    ) throws -> Boot {
        try tpm.powerCycle()
        return try boot(answers: answers, record: record, seal: seal) { try launch(tpm) }
    }

    /// One boot of a TPM 1.2 world, as `boot` does it.
    @discardableResult
    public func boot12(
        answers: [String]? = nil, record: Bool = true, seal: Bool = true, launch: (SoftwareTPM12) throws -> [UInt8]
    ) throws -> Boot {
        try tpm12.powerCycle()
        return try boot(answers: answers, record: record, seal: seal) { try launch(tpm12) }
    }

    private func boot(answers: [String]?, record: Bool, seal: Bool, launch: () throws -> [UInt8]) throws -> Boot {
        try tree.startBoot()
        // A reboot empties /run.
        try? FileManager.default.removeItem(atPath: tree.directory.path("run/anti-evil-maid"))
        let log = try tree.directory.write("drtm.log", try launch())
        try bootDevice.unmount()
        let unseal = try aem.unseal(answers: answers ?? defaultAnswers)
        try bootDevice.mount(at: tree.boot)
        if record {
            switch machineTPM {
            case let .tpm20(tpm): try tree.recordBoot(["--tcti", tpm.tcti, "--event-log", log])
            case let .tpm12(tpm): try tree.recordBoot(["--event-log", log], environment: tpm.environment)
            }
        }
        var sealRun: Dom0Sandbox.Run?
        if seal {
            // The unseal makes AEM's cache before it unseals anything: without
            // it the unseal stopped early, and AEM's seal service would not run.
            guard FileManager.default.fileExists(atPath: tree.directory.path("run/anti-evil-maid")) else {
                throw Command.Failure(
                    description: "anti-evil-maid-unseal stopped before AEM's cache: \(unseal.transcript)")
            }
            let run = try aem.seal()
            guard run.status == 0 else { throw Command.Failure(description: "anti-evil-maid-seal: \(run.stderr)") }
            sealRun = run
        }
        return Boot(log: log, unseal: unseal, seal: sealRun)
    }

    /// What the user types at the boot's prompts: the SRK password if it
    /// has one, then <ENTER> after the text secret, or the key file's
    /// password in multi-factor mode.
    var defaultAnswers: [String] {
        let srk = srkPassword.map { [$0] } ?? []
        switch secrets {
        case .text: return srk + [""]
        case .multiFactor: return srk + [Self.keyFilePassword]
        }
    }

    public struct Boot: Sendable {
        /// The boot's DRTM log (a file in the tree's folder).
        public var log: String
        public var unseal: GenuineUnseal
        public var seal: Dom0Sandbox.Run?
    }

    /// Whether the boot's unseal showed the user nothing at all: no proof,
    /// no text secret, no TOTP code, no key file (what a tampered chain gets).
    public func showedNothing(_ unseal: GenuineUnseal) throws -> Bool {
        try !proved(unseal) && !unseal.shows(text: BootTree.secretText) && unseal.totpCodes.isEmpty
            && unseal.keyFile == nil
    }

    /// Whether the boot's unseal proved the chain to the user: the text
    /// secret shown, or in multi-factor mode the right TOTP code shown and
    /// the key file decrypted.
    public func proved(_ unseal: GenuineUnseal) throws -> Bool {
        guard unseal.status == 0, unseal.freshnessValid else { return false }
        switch secrets {
        case .text:
            return unseal.shows(text: BootTree.secretText)
        case .multiFactor:
            // The codes of every 30 s step from just before the unseal ran to
            // just after it ended (on a loaded machine the boot's seal and
            // record can take longer than a step before this check runs).
            let first = Int(unseal.started.timeIntervalSince1970) - 30
            let last = Int(unseal.finished.timeIntervalSince1970) + 30
            let codes = try Set(
                (Array(stride(from: first, to: last, by: 30)) + [last]).map { moment in
                    try Command.check("oathtool", ["--totp", "-b", "--now", "@\(moment)", Self.totpSeed])
                        .trimmingCharacters(in: .whitespacesAndNewlines)
                })
            return !unseal.totpCodes.isEmpty && unseal.totpCodes.allSatisfy(codes.contains)
                && unseal.keyFile == keyFile
        }
    }
}
