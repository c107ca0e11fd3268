import Glibc
import SystemPackage

/// Names on /boot and the media are bytes: the kernel takes any byte but
/// `/` and NUL in a name, and an offline attacker chooses them. A path is
/// kept as a `FilePath` (its bytes, exactly), never decoded into a `String`
/// that would turn an invalid byte into U+FFFD and so name another file.
extension FilePath {
    /// The path's bytes, as the kernel resolves them.
    public var bytes: [UInt8] {
        withPlatformString { pointer in
            UnsafeBufferPointer(start: pointer, count: strlen(pointer)).map { UInt8(bitPattern: $0) }
        }
    }

    /// The path made of `bytes`; nil when they hold a NUL, which no path can.
    public init?(bytes: [UInt8]) {
        guard !bytes.contains(0) else { return nil }
        self.init(platformString: bytes.map { CChar(bitPattern: $0) } + [0])
    }

    /// The path as a person reads it: valid UTF-8 as it is, every byte of an
    /// invalid sequence as `\xNN`. Two different paths are never shown
    /// alike but for a name that itself spells `\xNN`.
    public var shown: String { FilePath.shown(bytes) }

    /// `bytes` as a person reads them (see `shown`).
    static func shown(_ bytes: [UInt8]) -> String {
        var text = ""
        var rest = bytes[...]
        while !rest.isEmpty {
            var decoder = UTF8()
            var iterator = rest.makeIterator()
            switch decoder.decode(&iterator) {
            case let .scalarValue(scalar):
                text.unicodeScalars.append(scalar)
                rest = rest.dropFirst(UTF8.width(scalar))
            case .emptyInput:
                return text
            case .error:
                text += "\\x" + String(rest.first!, radix: 16, uppercase: true).leftPadded(to: 2)
                rest = rest.dropFirst()
            }
        }
        return text
    }

    /// The path as UTF-8 text, nil when a byte is not valid UTF-8.
    public var validString: String? { String(validating: self) }
}

extension FilePath.Component {
    /// The name's bytes.
    public var bytes: [UInt8] {
        withPlatformString { pointer in
            UnsafeBufferPointer(start: pointer, count: strlen(pointer)).map { UInt8(bitPattern: $0) }
        }
    }

    /// The name as a person reads it (`FilePath.shown`).
    public var shown: String { FilePath.shown(bytes) }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}
