import SystemPackage

/// A path as aem-reseal's records keep it: a JSON string when its bytes
/// are valid UTF-8 (`"/vmlinuz-6.6.21"`), else `{"bytes": "<hex>"}`, so
/// that a name no text can hold is kept exactly, never dropped or repaired.
public struct StoredPath: Sendable, Hashable, Codable {
    public var path: FilePath

    public init(_ path: FilePath) { self.path = path }

    private enum Keys: String, CodingKey { case bytes }

    public init(from decoder: any Decoder) throws {
        // a string, else the {bytes} form below
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            path = FilePath(text)
            return
        }
        let container = try decoder.container(keyedBy: Keys.self)
        let hex = try container.decode(String.self, forKey: .bytes)
        guard let bytes = Hex.decode(hex), let path = FilePath(bytes: bytes) else {
            throw DecodingError.dataCorruptedError(
                forKey: .bytes, in: container, debugDescription: "not the hexadecimal bytes of a path")
        }
        self.path = path
    }

    public func encode(to encoder: any Encoder) throws {
        if let text = path.validString {
            var container = encoder.singleValueContainer()
            try container.encode(text)
        } else {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(Hex.encode(path.bytes), forKey: .bytes)
        }
    }
}
