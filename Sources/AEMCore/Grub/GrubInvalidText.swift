/// Where a script or an environment block stops being text GRUB and this
/// evaluator read alike.
struct GrubInvalidText: Error, Sendable, Equatable {
    /// The first byte that is not UTF-8 text, or is a NUL.
    var offset: Int

    static func firstInvalidOffset(_ bytes: [UInt8]) -> Int? {
        if let nul = bytes.firstIndex(of: 0) {
            return firstMalformedOffset(bytes[..<nul]) ?? nul
        }
        return firstMalformedOffset(bytes[...])
    }

    private static func firstMalformedOffset(_ bytes: ArraySlice<UInt8>) -> Int? {
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case let .valid(encoded): offset += encoded.count
            case .error: return offset
            case .emptyInput: return nil
            }
        }
    }
}
