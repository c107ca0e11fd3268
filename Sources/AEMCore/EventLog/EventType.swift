/// A TCG or TXT event type.
public struct EventType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    public static let noAction = EventType(0x3)
    public static let separator = EventType(0x4)
    public static let sCRTMVersion = EventType(0x8)
    public static let ipl = EventType(0xD)
    public static let efiVariableDriverConfig = EventType(0x8000_0001)
    public static let efiGPTEvent = EventType(0x8000_0006)
    public static let efiHCRTMEvent = EventType(0x8000_0010)
    /// TXT: maps a PCR; logged with PCR index 255 and never extended.
    public static let txtPCRMapping = EventType(0x401)
    /// TXT: the launch measurement; the digest is the resulting PCR 17 value.
    public static let txtHashStart = EventType(0x402)
    /// SINIT's measurement of the MLE (tboot): `MLEMeasurement`.
    public static let txtMLEHash = EventType(0x404)
    /// tboot's own measurements: its policy and every module.
    public static let tbootMeasurement = EventType(0x501)
    /// TrenchBoot's measurements by Xen (and, on AMD, by the SKL): the MBI,
    /// the OS-MLE data, every multiboot2 module; what is named in the data.
    public static let slaunchMeasurement = EventType(0x502)

    /// Whether the type is one SINIT or tboot logs for a dynamic launch.
    public var isDRTM: Bool { (0x400...0x5FF).contains(rawValue) }

    /// The name from the TCG PC Client and Intel TXT specifications, or hex.
    public var name: String {
        EventType.names[rawValue] ?? "0x" + String(rawValue, radix: 16)
    }

    public var description: String { name }

    private static let names: [UInt32: String] = [
        0x0: "EV_PREBOOT_CERT", 0x1: "EV_POST_CODE", 0x2: "EV_UNUSED", 0x3: "EV_NO_ACTION",
        0x4: "EV_SEPARATOR", 0x5: "EV_ACTION", 0x6: "EV_EVENT_TAG", 0x7: "EV_S_CRTM_CONTENTS",
        0x8: "EV_S_CRTM_VERSION", 0x9: "EV_CPU_MICROCODE", 0xA: "EV_PLATFORM_CONFIG_FLAGS",
        0xB: "EV_TABLE_OF_DEVICES", 0xC: "EV_COMPACT_HASH", 0xD: "EV_IPL", 0xE: "EV_IPL_PARTITION_DATA",
        0xF: "EV_NONHOST_CODE", 0x10: "EV_NONHOST_CONFIG", 0x11: "EV_NONHOST_INFO",
        0x12: "EV_OMIT_BOOT_DEVICE_EVENTS",
        0x8000_0000: "EV_EFI_EVENT_BASE", 0x8000_0001: "EV_EFI_VARIABLE_DRIVER_CONFIG",
        0x8000_0002: "EV_EFI_VARIABLE_BOOT", 0x8000_0003: "EV_EFI_BOOT_SERVICES_APPLICATION",
        0x8000_0004: "EV_EFI_BOOT_SERVICES_DRIVER", 0x8000_0005: "EV_EFI_RUNTIME_SERVICES_DRIVER",
        0x8000_0006: "EV_EFI_GPT_EVENT", 0x8000_0007: "EV_EFI_ACTION",
        0x8000_0008: "EV_EFI_PLATFORM_FIRMWARE_BLOB", 0x8000_0009: "EV_EFI_HANDOFF_TABLES",
        0x8000_000A: "EV_EFI_PLATFORM_FIRMWARE_BLOB2", 0x8000_000B: "EV_EFI_HANDOFF_TABLES2",
        0x8000_000C: "EV_EFI_VARIABLE_BOOT2", 0x8000_000D: "EV_EFI_GPT_EVENT2",
        0x8000_0010: "EV_EFI_HCRTM_EVENT", 0x8000_00E0: "EV_EFI_VARIABLE_AUTHORITY",
        0x8000_00E1: "EV_EFI_SPDM_FIRMWARE_BLOB", 0x8000_00E2: "EV_EFI_SPDM_FIRMWARE_CONFIG",
        0x400: "TXT_BASE", 0x401: "TXT_PCR_MAPPING", 0x402: "TXT_HASH_START", 0x403: "TXT_COMBINED_HASH",
        0x404: "TXT_MLE_HASH", 0x40A: "TXT_BIOSAC_REG_DATA", 0x40B: "TXT_CPU_SCRTM_STAT",
        0x40C: "TXT_LCP_CONTROL_HASH", 0x40D: "TXT_ELEMENTS_HASH", 0x40E: "TXT_STM_HASH",
        0x40F: "TXT_OSSINITDATA_CAP_HASH", 0x410: "TXT_SINIT_PUBKEY_HASH", 0x411: "TXT_LCP_HASH",
        0x412: "TXT_LCP_DETAILS_HASH", 0x413: "TXT_LCP_AUTHORITIES_HASH", 0x414: "TXT_NV_INFO_HASH",
        0x415: "TXT_COLD_BOOT_BIOS_HASH", 0x416: "TXT_KM_HASH", 0x417: "TXT_BPM_HASH",
        0x418: "TXT_KM_INFO_HASH", 0x419: "TXT_BPM_INFO_HASH", 0x41A: "TXT_BOOT_POL_HASH",
        0x4FF: "TXT_CAP_VALUE", 0x501: "TBOOT_MEASUREMENT", 0x502: "SLAUNCH_MEASUREMENT",
    ]
}
