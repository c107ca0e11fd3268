import Foundation

/// Encodes the tool's JSON documents: pretty, keys sorted, no escaped slashes.
enum JSONOutput {
    static func encode<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    static func print<Value: Encodable>(_ value: Value) throws {
        Terminal.standardOutput.write(try encode(value))
    }
}
