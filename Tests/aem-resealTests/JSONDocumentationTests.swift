import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// Every `--json` document against `docs/json.md`: each key path a command
/// prints is documented under that command, each documented path of a
/// document the run produces appears, `"schema"` is the documented version,
/// times are ISO 8601, and no key is spelled two ways.
@Suite(.serialized) struct JSONDocumentationTests {
    /// Key paths of a JSON value: `a.b`, `a[].b`; keys that are bank names
    /// or PCR numbers are the placeholders `<bank>` and `<pcr>`.
    static func paths(_ value: Any, prefix: String = "") -> Set<String> {
        var result = Set<String>()
        if let object = value as? [String: Any] {
            for (key, child) in object {
                let name = HashAlgorithm(name: key) != nil ? "<bank>" : (UInt32(key) != nil ? "<pcr>" : key)
                let path = prefix.isEmpty ? name : prefix + "." + name
                result.insert(path)
                result.formUnion(paths(child, prefix: path))
            }
        } else if let array = value as? [Any] {
            for child in array { result.formUnion(paths(child, prefix: prefix + "[]")) }
        }
        return result
    }

    /// Values of keys ending in `At`, anywhere.
    static func times(_ value: Any) -> [Any] {
        if let object = value as? [String: Any] {
            return object.flatMap { key, child in (key.hasSuffix("At") ? [child] : []) + times(child) }
        }
        if let array = value as? [Any] { return array.flatMap(times) }
        return []
    }

    /// `docs/json.md`: per `## <command>` heading, the key paths in the first
    /// column of its table, `*` marking those every document of it has.
    static func documented() throws -> [String: (all: Set<String>, required: Set<String>)] {
        let text = try String(contentsOfFile: Fixtures.project("docs/json.md"), encoding: .utf8)
        var result = [String: (all: Set<String>, required: Set<String>)]()
        var section: String?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("## ") {
                section = String(line.dropFirst(3)).replacingOccurrences(of: "`", with: "")
                result[section!] = ([], [])
            } else if let section, line.hasPrefix("| `") {
                let cell = line.split(separator: "|")[0].trimmingCharacters(in: .whitespaces)
                let required = cell.hasSuffix("*")
                let path = cell.replacingOccurrences(of: "`", with: "").replacingOccurrences(of: "*", with: "")
                result[section]!.all.insert(path)
                if required { result[section]!.required.insert(path) }
            }
        }
        return result
    }

    /// `docs/json.md`'s enumerations: per section, the key paths whose
    /// meaning starts with a list of backticked values (`` `a`, `b` or `c` ``,
    /// then any note in parentheses), with those values.
    static func enumerations() throws -> [String: [String: Set<String>]] {
        let text = try String(contentsOfFile: Fixtures.project("docs/json.md"), encoding: .utf8)
        let list = try Regex(#"^(?:the evidence used: )?(`[^`]+`(?:, `[^`]+`)*(?: or `[^`]+`)?)(?: \(.*\))?$"#)
        var result = [String: [String: Set<String>]]()
        var section: String?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("## ") {
                section = String(line.dropFirst(3)).replacingOccurrences(of: "`", with: "")
            } else if let section, line.hasPrefix("| `") {
                let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                guard cells.count >= 2, let match = cells[1].wholeMatch(of: list) else { continue }
                let path = cells[0].replacingOccurrences(of: "`", with: "").replacingOccurrences(of: "*", with: "")
                let listed = match.output[1].substring.map(String.init) ?? ""
                let values = listed.matches(of: try Regex("`([^`]+)`")).compactMap {
                    $0.output[1].substring.map(String.init)
                }
                result[section, default: [:]][path] = Set(values)
            }
        }
        return result
    }

    /// The string values at `path` (`a.b`, `a[].b`) of `value`.
    static func values(at path: [Substring], in value: Any) -> [String] {
        guard let first = path.first else { return (value as? String).map { [$0] } ?? [] }
        let rest = Array(path.dropFirst())
        let isArray = first.hasSuffix("[]")
        guard let object = value as? [String: Any], let child = object[String(isArray ? first.dropLast(2) : first)]
        else { return [] }
        if isArray { return (child as? [Any] ?? []).flatMap { values(at: rest, in: $0) } }
        return values(at: rest, in: child)
    }

    /// Runs every command that prints JSON, in one update cycle.
    static func documents() throws -> [(section: String, json: [String: Any])] {
        let cycle = try CycleCommandTests.cycle(stage: false)
        let tree = cycle.tree
        var documents = [(section: String, json: [String: Any])]()
        func add(_ section: String, _ result: CLI.Result, status: Int32 = 0) throws {
            #expect(result.status == status, "\(section): \(result.stderr)")
            documents.append((section, try result.json()))
        }
        try add("eventlog show --json", try CLI.run(["eventlog", "show", "--json", cycle.log]))
        try add("eventlog replay --json", try CLI.run(["eventlog", "replay", "--json", cycle.log]))
        try add("predict --json", try cycle.run("predict", ["--json"]))
        try add("stage --json", try cycle.run("stage", ["--json", "--yes"]))
        try add("stage --json (nothing to seal)", try cycle.run("stage", ["--json", "--yes"]))
        try add("checklist --json", try cycle.run("checklist", ["--json"]))
        try add("status --json", try cycle.run("status", ["--json"]))
        // The reboot into the new chain, whose log `record` keeps.
        try cycle.tpm.powerCycle()
        try tree.startBoot()
        let newLog = try tree.directory.write(
            "drtm-new.log",
            try BootSimulator.boot(
                tree.chain(flow: .detailsAuthorities, xen: "4.17.4", kernel: CycleCommandTests.kernel), on: cycle.tpm))
        try add(
            "record --json",
            try CLI.run(["record", "--json", "--root", tree.root, "--tcti", cycle.tpm.tcti, "--event-log", newLog]))
        try add("verify --json", try cycle.run("verify", ["--json"]))
        try add("record --shutdown --json", try CLI.run(["record", "--shutdown", "--json", "--root", tree.root]))
        try add("rollback --json", try cycle.run("rollback", ["--json", "--yes"]))
        withExtendedLifetime(tree) {}

        // TrenchBoot: the MLE is Xen, PCR 18 unpredictable, a transition seal.
        let trenchBoot = try TrenchBootTests.booted()
        _ = try TrenchBootTests.Update.xen.apply(to: trenchBoot.tree)
        try add("predict --json", try trenchBoot.run("predict", ["--json"]))
        try add("eventlog show --json", try CLI.run(["eventlog", "show", "--json", trenchBoot.log]))
        try add("stage --json", try trenchBoot.run("stage", ["--json", "--yes"]))
        try add("status --json", try CLI.run(["status", "--json", "--root", trenchBoot.tree.root]))
        try trenchBoot.reboot(xen: "4.17.4", mbiSeed: 3)
        try add("verify --json", try trenchBoot.run("verify", ["--json"]), status: 1)
        return documents
    }

    @Test func everyDocumentMatchesDocsJSON() throws {
        let documented = try Self.documented()
        let enumerations = try Self.enumerations()
        #expect(enumerations["predict --json"]?["modules[].role"] == ["xen", "dom0-kernel", "initramfs", "other"])
        var spellings = [String: Set<String>]()
        for (section, json) in try Self.documents() {
            let found = Self.paths(json)
            let docs = try #require(documented[section], "docs/json.md has no section \"## \(section)\"")
            #expect(
                found.subtracting(docs.all).isEmpty, "\(section): undocumented \(found.subtracting(docs.all).sorted())")
            #expect(
                docs.required.subtracting(found).isEmpty,
                "\(section): missing \(docs.required.subtracting(found).sorted())")
            #expect(json["schema"] as? Int == 1, "\(section)")
            for (path, allowed) in enumerations[section] ?? [:] where !path.contains("<") {
                for value in Self.values(at: path.split(separator: "."), in: json) {
                    #expect(allowed.contains(value), "\(section): \(path) is \"\(value)\", json.md says \(allowed)")
                }
            }
            for time in Self.times(json) {
                let text = try #require(time as? String, "\(section): a time that is not a string: \(time)")
                #expect(ISO8601DateFormatter().date(from: text) != nil, "\(section): \(text) is not ISO 8601")
            }
            for path in found {
                for key in path.split(separator: ".").map({ $0.replacingOccurrences(of: "[]", with: "") }) {
                    spellings[key.lowercased(), default: []].insert(key)
                }
            }
        }
        let twoWays = spellings.values.filter { $0.count > 1 }
        #expect(twoWays.isEmpty, "keys spelled two ways: \(twoWays)")
    }
}
