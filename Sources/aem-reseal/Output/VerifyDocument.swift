/// `verify --json` (keys in docs/json.md).
struct VerifyDocument: Encodable {
    var held: Bool
    /// After a transition seal: whether AEM resealed to the full SEAL list.
    var resealedToFullList: Bool?
    /// After a transition seal: whether this boot ran with the predicted
    /// Xen and dom0 command lines (not covered by that seal).
    var commandLinesAsPredicted: Bool?
    var verification: [String: [String: String]]
    var liveSource: String
}
