/// GRUB's environment as the evaluation tracks it: each variable's value,
/// whether it is exported (only exported variables reach a submenu's
/// context), and the unknowns its value and its export depend on. Names
/// compare byte for byte (`GrubName`).
struct GrubVariables: Sendable {
    private struct Entry: Sendable {
        /// nil: unset (kept only to carry a taint).
        var value: String?
        var taint = GrubTaint()
        var exported = false
        /// The unknowns whether it is exported depends on.
        var exportTaint = GrubTaint()

        mutating func assign(_ value: String, taint: GrubTaint) {
            self.value = value
            self.taint = taint
        }
    }

    private var entries: [GrubName: Entry] = [:]

    /// Variables with write hooks in GRUB's normal mode: `unset` empties
    /// them instead of removing them (grub-core/kern/env.c).
    private static let hooked: Set<GrubName> = Set(
        ["root", "prefix", "pager", "color_normal", "color_highlight"].map(GrubName.init))

    subscript(name: String) -> String? { entries[GrubName(name)]?.value }

    func taint(of name: String) -> GrubTaint { entries[GrubName(name)]?.taint ?? GrubTaint() }

    /// `grub_env_set`: `root`'s write hook drops surrounding parentheses.
    mutating func set(_ name: String, _ value: String, taint: GrubTaint) {
        var stored = value
        if name == "root", stored.hasBytePrefix("("), stored.hasByteSuffix(")"), stored.utf8.count >= 2 {
            stored.unicodeScalars.removeFirst()
            stored.unicodeScalars.removeLast()
        }
        entries[GrubName(name), default: Entry()].assign(stored, taint: taint)
    }

    /// `grub_env_unset`.
    mutating func unset(_ name: String, taint: GrubTaint) {
        let key = GrubName(name)
        guard entries[key]?.value != nil else {
            if !taint.isEmpty { entries[key, default: Entry()].taint.formUnion(taint) }
            return
        }
        if Self.hooked.contains(key) {
            set(name, "", taint: taint)
        } else {
            entries[key]!.value = nil
            entries[key]!.exported = false
            entries[key]!.taint = taint
        }
    }

    /// `grub_env_export`: an unset variable is first set to the empty string.
    mutating func export(_ name: String, taint: GrubTaint) {
        let key = GrubName(name)
        if entries[key]?.value == nil { set(name, "", taint: taint) }
        entries[key]!.exported = true
        entries[key]!.exportTaint.formUnion(taint)
    }

    /// Marks a variable as depending on `taint` without changing it: a
    /// branch that did not run here could have set it.
    mutating func addTaint(_ name: String, _ taint: GrubTaint) {
        guard !taint.isEmpty else { return }
        entries[GrubName(name), default: Entry()].taint.formUnion(taint)
        entries[GrubName(name)]!.exportTaint.formUnion(taint)
    }

    /// What GRUB sets before it runs a chosen item (grub_menu_execute_entry,
    /// normal/menu.c): `chosen`, exported, and `default` to the rest of the
    /// enclosing level's `default` path (unset without one).
    mutating func enterItem(chosen: String, levelDefault: String?, defaultTaint: GrubTaint, taint: GrubTaint) {
        set("chosen", chosen, taint: taint)
        export("chosen", taint: taint)
        if let rest = GrubMenuSelector.rest(of: levelDefault) {
            set("default", rest, taint: defaultTaint)
        } else {
            unset("default", taint: defaultTaint)
        }
    }

    /// The context a submenu starts with: exported variables, and the
    /// taint of those whose export is uncertain.
    var exportedOnly: GrubVariables {
        var result = GrubVariables()
        for (name, entry) in entries {
            if entry.exported {
                result.entries[name] = Entry(
                    value: entry.value, taint: entry.taint.union(entry.exportTaint), exported: true,
                    exportTaint: entry.exportTaint)
            } else if !entry.exportTaint.isEmpty {
                result.entries[name] = Entry(value: nil, taint: entry.taint.union(entry.exportTaint))
            }
        }
        return result
    }

    /// What GRUB sets before reading `grub.cfg` (grub-core/kern/main.c,
    /// grub-core/normal/main.c): the boot partition as `root`, its folder
    /// as `prefix`, the platform, the features and the colours, exported.
    static func initial(_ settings: GrubEvaluationSettings) -> GrubVariables {
        var variables = GrubVariables()
        var preset = [
            "grub_platform": settings.platform, "grub_cpu": settings.cpu, "prefix": settings.prefix,
            "root": settings.bootDevice, "color_normal": "light-gray/black", "color_highlight": "black/light-gray",
            "pager": "",
        ]
        if let drive = settings.bootDevice.split(separator: ",", omittingEmptySubsequences: false).first {
            preset["cmdpath"] = "(\(drive))"
        }
        let features = [
            "feature_chainloader_bpb", "feature_ntldr", "feature_platform_search_hint", "feature_default_font_path",
            "feature_all_video_module", "feature_menuentry_id", "feature_menuentry_options", "feature_200_final",
            "feature_nativedisk_cmd", "feature_timeout_style",
        ]
        for feature in features { preset[feature] = "y" }
        for (name, value) in preset {
            variables.set(name, value, taint: GrubTaint())
            variables.export(name, taint: GrubTaint())
        }
        return variables
    }
}
