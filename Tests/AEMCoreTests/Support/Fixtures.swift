import Foundation

/// Paths of the shared fixtures (`../shared/fixtures` beside the checkout).
enum Fixtures {
    static let projectRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }()

    static let shared = projectRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")

    static func path(_ relative: String) -> String {
        shared.appendingPathComponent(relative).path
    }

    static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: shared.appendingPathComponent(relative)))
    }

    static func files(in folder: String, suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path(folder))
            .filter { $0.hasSuffix(suffix) }
            .sorted()
            .map { "\(folder)/\($0)" }
    }
}
