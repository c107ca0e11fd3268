import Foundation

/// How aem-reseal keeps its records (`state.json`, the boot records):
/// indented JSON with sorted keys and ISO 8601 dates, ending in a newline,
/// written durably and readable by the owner only.
enum StoredJSON {
    /// Records are small; a larger file is not one of them.
    static let sizeLimit = 4 << 20

    static func read<Value: Decodable>(_ type: Value.Type, from path: String) throws -> Value {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(try FileBytes.read(path, limit: sizeLimit)))
    }

    static func write<Value: Encodable>(_ value: Value, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try DurableFiles.write(Array(try encoder.encode(value)) + [0x0A], to: path, mode: 0o600)
    }
}
