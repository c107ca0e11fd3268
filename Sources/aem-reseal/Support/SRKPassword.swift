import AEMCore
import Foundation

/// The SRK password, from where stock AEM leaves it: the file AEM caches
/// at boot (`/run/anti-evil-maid/srk-password`, empty = no password), else
/// `--srk-password-file`, else a no-echo prompt.
enum SRKPassword {
    enum Source: Equatable {
        case cached
        case file
        case prompt
    }

    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    static func obtain(layout: SystemLayout, file: String?, interactive: Bool) throws -> (SecretBytes, Source) {
        if FileManager.default.fileExists(atPath: layout.cachedSRKPassword) {
            return (try read(layout.cachedSRKPassword), .cached)
        }
        if let file { return (try read(file), .file) }
        guard interactive, let typed = Prompt.password("TPM SRK password (empty if none): ") else {
            throw Unavailable(description: "the SRK password is needed to seal, and there is no cached \(layout.cachedSRKPassword) (AEM writes it during an AEM boot), no --srk-password-file, and no terminal to ask on")
        }
        return (typed, .prompt)
    }

    /// As the shell's `$(cat file)`: trailing newlines are not part of it.
    private static func read(_ path: String) throws -> SecretBytes {
        let secret: SecretBytes
        do {
            secret = try SecretBytes.read(path: path, limit: 4096)
        } catch {
            throw Unavailable(description: error.description)
        }
        var length = secret.count
        secret.withUnsafeBytes { bytes in
            while length > 0 && bytes[length - 1] == 0x0A { length -= 1 }
        }
        guard length != secret.count else { return secret }
        let trimmed = SecretBytes(count: length)
        trimmed.withUnsafeMutableBytes { target in
            secret.withUnsafeBytes { source in target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[0..<length])) }
        }
        return trimmed
    }
}
