/// `verify --json` (keys in docs/json.md).
struct VerifyDocument: Encodable {
    var held: Bool
    /// After a transition seal: whether AEM resealed to the full SEAL list.
    var resealedToFullList: Bool?
    var verification: [String: [String: String]]
    var liveSource: String
}
