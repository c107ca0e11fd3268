/// The version every `--json` document carries as `"schema"`
/// (`docs/json.md`). It changes when a key is removed or changes meaning;
/// new keys may appear without a change.
enum JSONSchemaVersion {
    static let current = 1
}
