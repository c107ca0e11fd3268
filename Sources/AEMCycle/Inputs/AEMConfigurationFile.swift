import AEMCore

/// AEM's `/etc/anti-evil-maid.conf` as read by every command: absent is a
/// fact the caller words (stock AEM's default `SEAL`); a file that cannot
/// be read (permissions, not a regular file) or parsed is an error as it
/// is, never taken for "not found".
public enum AEMConfigurationFile {
    /// The parsed configuration, or nil when the file does not exist.
    public static func load(_ layout: SystemLayout) throws(CycleError) -> AEMConfiguration? {
        let bytes: [UInt8]?
        do {
            bytes = try FileBytes.readIfPresent(layout.aemConfiguration, limit: 1 << 20)
        } catch {
            throw .badInput("cannot read AEM's configuration: \(error.description)")
        }
        guard let bytes else { return nil }
        do {
            return try AEMConfiguration.parse(String(decoding: bytes, as: UTF8.self))
        } catch {
            throw .badInput("\(layout.aemConfiguration): \(error.description)")
        }
    }
}
