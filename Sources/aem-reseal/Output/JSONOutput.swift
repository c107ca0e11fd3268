import AEMCycle
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
    /// A document that cannot be encoded (a value JSON has no form for)
    /// is a failure to write the output, never a partial document.
    static func print<Value: Encodable>(_ value: Value) throws(CycleError) {
        let text: String
        do {
            text = try encode(value)
        } catch {
            throw .writeFailed("cannot write the JSON document: \(error)")
        }
        Terminal.standardOutput.write(TerminalText(json: text))
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
