import AEMCore
import Foundation
import SystemPackage

/// The SRK password: `--srk-password-file` when given (the user's explicit
/// choice wins), else the file AEM caches at boot
/// (`/run/anti-evil-maid/srk-password`, empty = no password), else the
/// empty password when this boot's record says AEM's cache held it (on
/// TPM 1.2, AEM's seal service removes the cache once it has sealed), else a no-echo
/// prompt. An empty answer at the prompt is never sent: each wrong
/// password costs one of the TPM's dictionary-attack attempts.
public enum SRKPassword {
    /// Where the password came from.
    public enum Source: Equatable {
        case cached
        case file
        case recordedEmpty
        case prompt
    }

    /// The password and where it came from; `ui` asks for it only when
    /// `interactive` and nothing else gives it.
    public static func obtain(
        context: BootContext, file: String?, interactive: Bool, ui: any CycleUserInterface
    ) throws(CycleError) -> (SecretBytes, Source) {
        let layout = context.layout
        if let file { return (try read(file), .file) }
        if try exists(layout.cachedSRKPassword) { return (try read(layout.cachedSRKPassword), .cached) }
        let record = try context.bootRecord()
        if record?.srkPasswordEmpty == true { return (SecretBytes(count: 0), .recordedEmpty) }
        let missing =
            "the SRK password is needed to seal: AEM's cache \(layout.cachedSRKPassword) is gone (AEM's seal "
            + "service removes it once it has sealed at boot), "
            + (record?.srkPasswordEmpty == false
                ? "this boot's record says the SRK has a password"
                : "no record of this boot says whether the SRK has a password")
            + ", and there is no --srk-password-file"
        guard interactive else {
            throw .needsUser(missing + ", and --non-interactive forbids asking")
        }
        switch ui.password("TPM SRK password: ") {
        case let .entered(password):
            return (password, .prompt)
        case .empty:
            throw .declined(
                "no SRK password was entered, so none was sent to the TPM. If the SRK has no password, say so "
                    + "with --srk-password-file /dev/null")
        case .interrupted:
            throw .declined("interrupted at the SRK password prompt; nothing was sent to the TPM")
        case .noTerminal:
            throw .needsUser(missing + ", and no terminal to ask on")
        }
    }

    /// Whether AEM's cached SRK password (this boot's) is empty; nil when
    /// there is no cache. The password itself is wiped at once.
    static func cachedPasswordIsEmpty(_ layout: SystemLayout) throws(CycleError) -> Bool? {
        guard try exists(layout.cachedSRKPassword) else { return nil }
        return try read(layout.cachedSRKPassword).count == 0
    }

    /// Whether AEM's cache is there; one that cannot be looked at is an error.
    private static func exists(_ path: String) throws(CycleError) -> Bool {
        do {
            return try FileBytes.exists(path)
        } catch {
            throw .badInput("cannot tell whether AEM's cached SRK password is there: \(error)")
        }
    }

    /// As the shell's `$(cat file)`: trailing newlines are not part of it.
    private static func read(_ path: String) throws(CycleError) -> SecretBytes {
        let secret: SecretBytes
        do {
            secret = try SecretBytes.read(path: path, limit: 4096, allowing: [.regular, .characterSpecial])
        } catch {
            throw .badInput(error.description)
        }
        var length = secret.count
        secret.withUnsafeBytes { bytes in
            while length > 0 && bytes[length - 1] == 0x0A { length -= 1 }
        }
        guard length != secret.count else { return secret }
        let trimmed = SecretBytes(count: length)
        trimmed.withUnsafeMutableBytes { target in
            secret.withUnsafeBytes { source in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[0..<length]))
            }
        }
        return trimmed
    }
}
