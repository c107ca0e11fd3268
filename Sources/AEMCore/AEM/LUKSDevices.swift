/// The LUKS devices a dom0 kernel command line unlocks: AEM measures the
/// header of each unique `rd.luks.uuid` into PCR 13.
public enum LUKSDevices {
    public static func uuids(in commandLine: String) -> Set<String> {
        Set(
            commandLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
                .filter { $0.hasPrefix("rd.luks.uuid=") }
                .map { String($0.dropFirst("rd.luks.uuid=".count)) })
    }
}
