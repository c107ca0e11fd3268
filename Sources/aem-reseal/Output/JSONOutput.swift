import Foundation

/// Encodes the tool's JSON documents (`docs/json.md`): pretty, keys
/// sorted, no escaped slashes, times in ISO 8601.
enum JSONOutput {
    static func encode<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(Versioned(document: value)), as: UTF8.self) + "\n"
    }

    /// Prints a document, made safe for a terminal (`TerminalText(json:)`).
    static func print<Value: Encodable>(_ value: Value) throws {
        Terminal.standardOutput.write(TerminalText(json: try encode(value)))
    }
}

/// A document with `"schema"` added beside its own top-level keys.
private struct Versioned<Document: Encodable>: Encodable {
    var document: Document

    private enum Key: String, CodingKey { case schema }

    func encode(to encoder: any Encoder) throws {
        try document.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(JSONSchemaVersion.current, forKey: .schema)
    }
}
