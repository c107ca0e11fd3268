import AEMCore
import AEMCycle

/// `verify`'s answer for the terminal: each PCR compared, whether the
/// prediction held, and what to do when it did not.
struct VerificationReport {
    var verification: PCRVerification
    var style: Style

    func render() -> TerminalText {
        var rows: TerminalText = ""
        for row in verification.rows {
            let sealed = row.bank == verification.sealBank && verification.sealPCRs.contains(row.pcr)
            let mark = row.held ? style.green("held") : style.red("DIFFERS")
            rows +=
                "  \(pad(row.bank.rawValue, 8)) PCR \(pad(String(row.pcr), 3)) \(mark)\(sealed ? " (sealed)" : "")\n"
            if !row.held { rows += "      predicted \(row.predicted.hex)\n      live      \(row.live.hex)\n" }
        }
        let resealed = verification.resealed
        if verification.held, let resealed, !resealed.done {
            return style.green("The prediction held:")
                + " this boot produced exactly the PCR values the transition seal was sealed to.\n" + rows
                + "\n" + style.red("But AEM has not resealed to the full SEAL list yet")
                + ": \(resealed.active)/key.pcrs is \"\(resealed.selection)\", "
                + "without PCR \(resealed.leftOut.map(String.init).joined(separator: ", ")). Run `sudo systemctl "
                + "restart anti-evil-maid-seal` (stock AEM's seal service) and check it succeeds.\n"
        }
        if verification.held {
            return style.green("The prediction held:")
                + " this boot produced exactly the PCR values the secret was sealed to.\n" + rows
                + (resealed.map {
                    "\nAEM resealed to the full SEAL list (\($0.active)/key.pcrs is \"\($0.selection)\"): the "
                        + "transition seal is gone.\n"
                } ?? "")
                + "\nThe update cycle is complete. AEM will reseal to this boot as usual.\n"
        }
        if let commandLines = verification.commandLines, !commandLines.held,
            verification.rows.allSatisfy(\.held)
        {
            var lines: TerminalText = ""
            for difference in commandLines.differences {
                lines +=
                    "  \(difference.name == "xen" ? "Xen" : "dom0") command line\n"
                    + "      predicted \(difference.predicted ?? "(none)")\n"
                    + "      booted    \(difference.booted ?? "(the running system shows none)")\n"
            }
            return style.red("The prediction did NOT hold in full:")
                + " PCR 17 held, but this boot did not run with the command lines the transition seal was made "
                + "for\n(the seal left PCR 18 out, which holds them, so the secret appeared anyway):\n" + lines
                + rows
                + "\nUnless you changed a command line after staging (GRUB settings, a menu edit at boot), treat "
                + "this boot as possibly compromised: something chose another entry or other options than the "
                + "prediction.\n"
        }
        return style.red("The prediction did NOT hold:")
            + " this boot's PCRs differ from the ones the secret was sealed to.\n" + rows
            + "\nIf your AEM secret did not appear at this boot, this is why. Unless you know the boot chain "
            + "changed after staging\n"
            + "(another update, a GRUB change), treat this boot as possibly compromised: do not "
            + "trust it with secrets.\n"
            + "`sudo aem-reseal predict` shows what the tool expects now; `sudo aem-reseal rollback` "
            + "restores the previous seal.\n"
    }
}
