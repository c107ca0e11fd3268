/// GRUB's environment: variables, and which of them are exported (only
/// exported variables reach a submenu's context).
public struct GrubVariables: Sendable, Equatable {
    public private(set) var values: [String: String]
    public private(set) var exported: Set<String>

    public init(values: [String: String] = [:], exported: Set<String> = []) {
        self.values = values
        self.exported = exported
    }

    public subscript(name: String) -> String? {
        get { values[name] }
        set { values[name] = newValue }
    }

    public mutating func export(_ name: String) { exported.insert(name) }

    /// The context a submenu starts with: exported variables only.
    var exportedOnly: GrubVariables {
        GrubVariables(values: values.filter { exported.contains($0.key) }, exported: exported)
    }

    /// What GRUB sets before reading `grub.cfg` on a legacy BIOS machine,
    /// the only platform tboot boots from.
    static func initial(platform: String, prefix: String) -> GrubVariables {
        var variables = GrubVariables()
        let preset = [
            "grub_platform": platform, "grub_cpu": "i386", "prefix": prefix, "root": "",
            "feature_menuentry_id": "y", "feature_default_font_path": "y", "feature_all_video_module": "y",
            "feature_timeout_style": "y", "feature_platform_search_hint": "y", "feature_200_final": "y",
            "feature_nativedisk_cmd": "y",
        ]
        for (name, value) in preset {
            variables[name] = value
            variables.export(name)
        }
        return variables
    }
}
