/// What to do when the secret does not appear at the next boot, in words
/// that match what AEM really does: at boot it reads only the active set on
/// the media, which after `stage` opens only on the predicted chain. So
/// another GRUB entry does not bring the secret back, and `rollback` needs a
/// running dom0.
enum RecoveryAdvice {
    static let text: TerminalText = """
        If the secret does NOT appear: the boot chain is not the one predicted here. Treat it as a possible attack.
          - Do not type your disk passphrase on a hunch. Power off.
          - Booting another GRUB entry will not show the secret either: the media now holds only the new seal,
            which opens on the predicted chain alone.
          - To investigate without unlocking, boot trusted media (for example the Qubes installer's rescue mode)
            and compare /boot with the SHA-256 values `sudo aem-reseal status --json` prints now (note them).
          - Or accept one boot without proof, as stock AEM leaves you after every update: unlock, then run
            `sudo aem-reseal verify`, which names the PCR that differed and what changed since staging. If it is
            explained (another update after staging, a changed GRUB setting), AEM reseals at this boot as usual;
            if not, treat the machine as compromised. `sudo aem-reseal rollback` puts the old seal back for the
            old chain.

        """
}
