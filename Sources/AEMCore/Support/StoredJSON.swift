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
        decoder.keyDecodingStrategy = .custom { path in Self.currentKey(path.last!) }
        return try decoder.decode(type, from: Data(try FileBytes.read(path, limit: sizeLimit)))
    }

    /// Keys records written by earlier versions spelled differently.
    private static let renamedKeys = ["sealPCRs": "sealPcrs"]

    private static func currentKey(_ key: any CodingKey) -> any CodingKey {
        guard let renamed = renamedKeys[key.stringValue] else { return key }
        return RenamedKey(stringValue: renamed)
    }

    private struct RenamedKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func write<Value: Encodable>(_ value: Value, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try DurableFiles.write(Array(try encoder.encode(value)) + [0x0A], to: path, mode: 0o600)
    }
}
