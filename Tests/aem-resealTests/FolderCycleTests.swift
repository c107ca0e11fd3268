import AEMTestSupport
import Foundation
import Testing

/// The folders of each target depend on one another in one direction only:
/// a folder that uses a name declared in another depends on it, and no
/// chain of such uses leads back to where it started. Names are top-level
/// declarations (types, functions, constants); members added by an
/// extension are not followed, so a folder extending another's type counts
/// only where it names that type.
struct FolderCycleTests {
    /// A folder of a target (`aem-reseal/Output`; the target's own root files as `aem-reseal/.`).
    typealias Folder = String

    static let declaration = try! NSRegularExpression(
        pattern:
            #"^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|private|fileprivate|internal|package|final|indirect|open)\s+)*"#
            + #"(?:struct|enum|class|protocol|actor|typealias|func|let|var)\s+([A-Za-z_]\w*)"#,
        options: [.anchorsMatchLines])
    static let word = try! NSRegularExpression(pattern: #"[A-Za-z_]\w*"#)

    /// Each Swift file of `Sources`, by folder, without its comment lines.
    static func folders() throws -> [Folder: [String]] {
        let sources = Fixtures.project("Sources")
        var result = [Folder: [String]]()
        for target in try FileManager.default.contentsOfDirectory(atPath: sources) {
            guard let files = FileManager.default.enumerator(atPath: sources + "/" + target) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let parts = file.split(separator: "/")
                let folder = target + "/" + (parts.count > 1 ? String(parts[0]) : ".")
                let text = try String(contentsOfFile: sources + "/" + target + "/" + file, encoding: .utf8)
                let code = text.split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
                result[folder, default: []].append(code)
            }
        }
        return result
    }

    static func matches(_ expression: NSRegularExpression, in text: String, group: Int) -> Set<String> {
        let range = NSRange(text.startIndex..., in: text)
        return Set(
            expression.matches(in: text, range: range).compactMap { Range($0.range(at: group), in: text) }.map {
                String(text[$0])
            })
    }

    /// Which folder uses which, with one name that makes each use.
    static func dependencies() throws -> [Folder: [Folder: String]] {
        let folders = try folders()
        let declared = folders.mapValues { files in
            files.reduce(into: Set<String>()) { $0.formUnion(matches(declaration, in: $1, group: 1)) }
        }
        var edges = [Folder: [Folder: String]]()
        for (folder, files) in folders {
            let used = files.reduce(into: Set<String>()) { $0.formUnion(matches(word, in: $1, group: 0)) }
            let target = folder.split(separator: "/")[0]
            for (other, names) in declared where other != folder && other.split(separator: "/")[0] == target {
                if let name = used.intersection(names).sorted().first { edges[folder, default: [:]][other] = name }
            }
        }
        return edges
    }

    /// A cycle among `edges`, as the folders and names that close it; nil when there is none.
    static func cycle(in edges: [Folder: [Folder: String]]) -> [String]? {
        var finished = Set<Folder>()
        var path = [Folder]()
        func visit(_ folder: Folder) -> [String]? {
            if let start = path.firstIndex(of: folder) {
                let loop = path[start...] + [folder]
                return zip(loop, loop.dropFirst()).map { "\($0) uses \(edges[$0]![$1]!) of \($1)" }
            }
            guard !finished.contains(folder) else { return nil }
            path.append(folder)
            for next in (edges[folder] ?? [:]).keys.sorted() {
                if let found = visit(next) { return found }
            }
            path.removeLast()
            finished.insert(folder)
            return nil
        }
        for folder in edges.keys.sorted() {
            if let found = visit(folder) { return found }
        }
        return nil
    }

    @Test func noFolderCycleInAnyTarget() throws {
        let edges = try Self.dependencies()
        #expect(edges["aem-reseal/Commands"] != nil, "the scan found the CLI's folders")
        let found = Self.cycle(in: edges)
        #expect(found == nil, "\(found?.joined(separator: "\n") ?? "")")
    }

    /// The check itself finds a cycle when there is one.
    @Test func aCycleIsFound() {
        let edges: [Folder: [Folder: String]] = ["t/A": ["t/B": "Bee"], "t/B": ["t/C": "Sea"], "t/C": ["t/A": "Ay"]]
        #expect(Self.cycle(in: edges) == ["t/A uses Bee of t/B", "t/B uses Sea of t/C", "t/C uses Ay of t/A"])
        #expect(Self.cycle(in: ["t/A": ["t/B": "Bee"], "t/B": [:]]) == nil)
    }
}
