import AEMCore
import AEMTPM
import Foundation

/// Qubes' own Anti Evil Maid, as dom0 and its initramfs run it: the
/// upstream scripts vendored in `Tests/Fixtures/upstream` (Qubes AEM 4.2.0,
/// the tpm-extra and trousers-changer helpers), run in a `Dom0Sandbox`
/// against the test's TPM. They are the judge of what aem-reseal seals:
/// what they open at boot, a real dom0 opens.
///
/// Substitutions, each listed in `Tests/Fixtures/README.md`: the one line
/// of `anti-evil-maid-lib-tpm2` that names the TPM (`device:/dev/tpm0` →
/// this test's swtpm); no-op `udevadm` and `modprobe` (the test made the
/// devices and udev's entries beforehand); `systemd-ask-password`
/// answering from `/run/test-answers`; on TPM 1.2, a `systemctl` that runs
/// trousers-changer's vendored `tcsd.service` drop-in and a `tcsd`
/// stand-in (the test's own tcsd already serves the TPM), and
/// `tpm_pcr_extend` compiled from its vendored source.
public final class GenuineAEM: @unchecked Sendable {
    public enum TPM: @unchecked Sendable {
        case tpm20(SoftwareTPM)
        case tpm12(SoftwareTPM12)
    }

    public let sandbox: Dom0Sandbox
    public let tpm: TPM

    /// Installs the scripts into the sandbox, for `tpm`.
    public init(sandbox: Dom0Sandbox, tpm: TPM) throws {
        self.sandbox = sandbox
        self.tpm = tpm
        let upstream = Fixtures.root.appendingPathComponent("upstream").path
        let scripts = [
            "qubes-antievilmaid/sbin/anti-evil-maid-lib", "qubes-antievilmaid/sbin/anti-evil-maid-lib-tpm1",
            "qubes-antievilmaid/sbin/anti-evil-maid-lib-tpm2", "qubes-antievilmaid/sbin/anti-evil-maid-seal",
            "qubes-antievilmaid/sbin/anti-evil-maid-tpm-setup",
            "qubes-antievilmaid/90anti-evil-maid/anti-evil-maid-unseal",
            "qubes-tpm-extra/sbin/notty", "qubes-tpm-extra/sbin/tpm2_z_srk", "qubes-tpm-extra/sbin/tpm_z_srk",
            "qubes-tpm-extra/sbin/tpm_nvread_stdout", "qubes-tpm-extra/sbin/tpm_nvwrite_stdin",
            "qubes-trousers-changer/sbin/tpm2_id", "qubes-trousers-changer/sbin/tpm_id",
            "qubes-trousers-changer/sbin/trousers_changer_identify",
            "qubes-trousers-changer/sbin/trousers_changer_migrate",
        ]
        for script in scripts {
            var text = try String(contentsOfFile: upstream + "/" + script, encoding: .utf8)
            if script.hasSuffix("anti-evil-maid-lib-tpm2"), case let .tpm20(tpm) = tpm {
                text = try Self.substitute(
                    "export TPM2TOOLS_TCTI=\"device:/dev/tpm0\"", with: "export TPM2TOOLS_TCTI=\"\(tpm.tcti)\"",
                    in: text)
            }
            try sandbox.install(Array(text.utf8), at: "/usr/sbin/" + (script as NSString).lastPathComponent)
        }
        for (name, body) in Self.stubs(for: tpm) {
            try sandbox.install(Array(body.utf8), at: "/usr/local/sbin/" + name)
        }
        if case .tpm12 = tpm {
            let dropIn = "qubes-trousers-changer/systemd/system/tcsd.service.d/trousers-changer.conf"
            try sandbox.install(
                Array(try Data(contentsOf: URL(fileURLWithPath: upstream + "/" + dropIn))),
                at: "/usr/lib/systemd/system/tcsd.service.d/trousers-changer.conf", mode: 0o644)
        }
        switch tpm {
        case let .tpm20(tpm):
            sandbox.tpmSysfs = ["tpm_version_major": "2\n"]
            sandbox.environment["TPM2TOOLS_TCTI"] = tpm.tcti
            sandbox.environment["TSS2_LOG"] = "all+none"
        case let .tpm12(tpm):
            sandbox.tpmSysfs = ["tpm_version_major": "1\n", "owned": "0\n"]
            sandbox.environment.merge(tpm.environment) { $1 }
            try installTPMPCRExtend(from: upstream + "/qubes-tpm-extra/tpm_pcr_extend.c")
            // notty's stand-in for /dev/tty, as systemd provides it.
            let inaccessible = sandbox.tree.directory.path("run/systemd/inaccessible")
            try FileManager.default.createDirectory(atPath: inaccessible, withIntermediateDirectories: true)
            try Command.check("mknod", ["-m", "0", inaccessible + "/chr", "c", "0", "0"])
        }
    }

    static func substitute(_ line: String, with replacement: String, in text: String) throws -> String {
        guard text.components(separatedBy: line).count == 2 else {
            throw Command.Failure(description: "the upstream script no longer has the line \(line)")
        }
        return text.replacingOccurrences(of: line, with: replacement)
    }

    /// What stands in for the parts of dom0 a test machine lacks.
    static func stubs(for tpm: TPM) -> [(String, String)] {
        var stubs = [
            ("udevadm", "#!/bin/sh\n# The test made the devices and udev's entries beforehand.\nexit 0\n"),
            ("modprobe", "#!/bin/sh\n# No TPM driver to load: the TPM is the test's swtpm.\nexit 0\n"),
            (
                "systemd-ask-password",
                """
                #!/bin/sh
                # Answers each prompt with the next line of /run/test-answers.
                echo "asked: $*" >&2
                answer=$(head -n 1 /run/test-answers 2>/dev/null)
                sed -i 1d /run/test-answers 2>/dev/null
                printf '%s\\n' "$answer"

                """
            ),
        ]
        if case .tpm12 = tpm {
            stubs += [
                (
                    "systemctl",
                    """
                    #!/bin/sh
                    # Starting tcsd runs what systemd runs for tcsd.service: the
                    # ExecStartPre lines of trousers-changer's drop-in (vendored),
                    # then tcsd (whose stand-in the test's own tcsd backs).
                    echo "systemctl $*" >&2
                    case "$1 ${2:-}" in
                    "start tcsd" | "restart tcsd" | "start tcsd.service" | "restart tcsd.service")
                        sed -n 's/^ExecStartPre=//p' /usr/lib/systemd/system/tcsd.service.d/trousers-changer.conf |
                            while IFS= read -r command; do $command || exit 1; done
                        tcsd
                        ;;
                    esac
                    exit 0

                    """
                ),
                (
                    "tcsd",
                    """
                    #!/bin/sh
                    # Stands in for tcsd (the test's own serves the TPM): a process
                    # of that name, which trousers_changer_identify's killall stops.
                    if [ "${1:-}" = serve ]; then
                        trap 'exit 0' TERM
                        while :; do sleep 1; done
                    fi
                    # tcsd makes its key store at start, where /var/lib/tpm points.
                    [ -e /var/lib/tpm/system.data ] || : >/var/lib/tpm/system.data
                    "$0" serve </dev/null >/dev/null 2>&1 &

                    """
                ),
            ]
        }
        return stubs
    }

    /// tpm-extra's one C helper, built as its spec builds it.
    private func installTPMPCRExtend(from source: String) throws {
        let output = sandbox.layerPath("/usr/sbin/tpm_pcr_extend")
        try FileManager.default.createDirectory(
            atPath: (output as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Command.check("gcc", [source, "-O2", "-ltspi", "-o", output])
    }

    // MARK: What the user and the boot run

    /// `anti-evil-maid-tpm-setup` (with `-z` when `srkPassword` is nil):
    /// owner and lockout passwords, the SRK, the TPM's id and the
    /// freshness token's NV area.
    @discardableResult
    public func setUpTPM(srkPassword: String?) throws -> Dom0Sandbox.Run {
        let run = try sandbox.run(
            ["anti-evil-maid-tpm-setup"] + (srkPassword == nil ? ["-z"] : []),
            stdin: srkPassword.map { "\($0)\n\($0)\n" } ?? "")
        guard run.status == 0 else { throw Command.Failure(description: "anti-evil-maid-tpm-setup: \(run.stderr)") }
        if case .tpm12 = tpm { sandbox.tpmSysfs["owned"] = "1\n" }
        return run
    }

    /// What `anti-evil-maid-install` does besides partitioning, GRUB and
    /// dracut, with its library's own functions: a freshness slot for the
    /// media's label suffix, the media's `aem/tpms` folders.
    public func prepareMedia(mountedAt point: String = "/boot", suffix: String = "") throws {
        let run = try sandbox.run([
            "bash", "-c",
            """
            set -euo pipefail
            shopt -s expand_aliases
            source anti-evil-maid-lib
            validatetpm
            tpmstartservices
            assignslottosuffix "$1"
            mkdir -p "$2/aem" "/var/lib/anti-evil-maid/aem$1"
            synctpms "aem$1" "$2"
            """, "install", suffix, point,
        ])
        guard run.status == 0 else { throw Command.Failure(description: "preparing the AEM media: \(run.stderr)") }
    }

    /// `anti-evil-maid-unseal`, as the initramfs runs it at boot, with
    /// `answers` for its prompts (the SRK password, the key file's
    /// password, <ENTER>).
    public func unseal(answers: [String] = [""]) throws -> GenuineUnseal {
        try answersFile(answers)
        let started = Date()
        let run = try sandbox.run(["anti-evil-maid-unseal"], phase: .initramfs)
        return GenuineUnseal(run: run, started: started, finished: Date())
    }

    /// `anti-evil-maid-seal`, as its service runs it during an AEM boot.
    public func seal() throws -> Dom0Sandbox.Run {
        if case let .tpm12(tpm) = tpm { sandbox.tpmSysfs["pcrs"] = try Self.sysfsPCRs(of: tpm) }
        return try sandbox.run(["anti-evil-maid-seal"])
    }

    /// The TPM 1.2 driver's `pcrs` file: `PCR-17: 0A 1B ...`, one line per PCR.
    static func sysfsPCRs(of tpm: SoftwareTPM12) throws -> String {
        let values = try tpm.connect().readPCRs(Array(0...23))
        return (0...23).map { pcr in
            let bytes = values[.sha1, UInt32(pcr)]?.bytes ?? []
            return String(format: "PCR-%02d:", pcr) + bytes.map { String(format: " %02X", $0) }.joined() + "\n"
        }.joined()
    }

    private func answersFile(_ answers: [String]) throws {
        try sandbox.tree.directory.write("run/test-answers", answers.map { $0 + "\n" }.joined(), mode: 0o600)
    }
}

/// What a run of the genuine `anti-evil-maid-unseal` showed.
public struct GenuineUnseal: Sendable {
    public var run: Dom0Sandbox.Run
    /// When the unseal ran: the TOTP code it showed is the one of a moment
    /// in between, however long the test took to look at it afterwards.
    public var started: Date
    public var finished: Date
    public var status: Int32 { run.status }

    /// The freshness token opened and matched its NV slot.
    public var freshnessValid: Bool { run.stderr.contains("Freshness token valid, continuing.") }

    /// Whether the text secret was shown: the unseal prints it between
    /// empty messages, on standard output (kept out of the journal).
    public func shows(text secret: String) -> Bool {
        let lines = secret.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "anti-evil-maid-unseal: " + $0 }
        return run.stdout.contains(lines.joined(separator: "\n"))
    }

    /// The TOTP codes it showed.
    public var totpCodes: [String] {
        run.stderr.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "TOTP code: ") else { return nil }
            return String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
    }

    /// The LUKS key file it decrypted into the initramfs's /tmp, if any.
    public var keyFile: [UInt8]? {
        (try? Data(contentsOf: URL(fileURLWithPath: run.tmp + "/aem-keyfile"))).map { Array($0) }
    }

    /// Everything it printed, for failure messages.
    public var transcript: String { run.stdout + run.stderr }
}
