/// GRUB's environment block (`grubenv`): a file that starts with
/// `# GRUB Environment Block\n`, holds `name=value` lines (a backslash
/// protects the byte after it, so a value may hold `\` and newlines) and is
/// padded with `#` (GRUB writes 1024 bytes). Read and changed byte for byte
/// as grub-core/lib/envblk.c does it, so that a later `load_env` sees
/// exactly what `save_env` wrote, and a block GRUB would find broken or
/// too small is broken or too small here.
public struct GrubEnvironmentBlock: Sendable, Equatable {
    static let signature = Array("# GRUB Environment Block\n".utf8)
    /// GRUB writes 1024 bytes; anything far larger is not a grubenv.
    static let maximumSize = 64 << 10

    private static let newline: UInt8 = 0x0A
    private static let backslash: UInt8 = 0x5C
    private static let hash: UInt8 = 0x23
    private static let equals: UInt8 = 0x3D

    /// The block as it is now.
    public private(set) var bytes: [UInt8]

    /// A block GRUB opens: at least the signature and its terminating NUL's
    /// worth of bytes, starting with the signature; nil otherwise.
    public init?(bytes: [UInt8]) {
        guard bytes.count > Self.signature.count, bytes.starts(with: Self.signature) else { return nil }
        self.bytes = bytes
    }

    /// The variables in the order GRUB's `grub_envblk_iterate` hands them
    /// over: lines starting with `#` are skipped, a name runs to the first
    /// `=` (across newlines), and a line that never ends stops the walk.
    public var variables: [(name: String, value: String)] {
        var result = [(name: String, value: String)]()
        var position = Self.signature.count
        let end = bytes.count
        while position < end {
            if bytes[position] != Self.hash {
                let nameStart = position
                while position < end, bytes[position] != Self.equals { position += 1 }
                guard position < end else { return result }
                let name = String(decoding: bytes[nameStart..<position], as: UTF8.self)
                position += 1
                let valueStart = position
                position = lineEnd(from: position)
                guard position < end else { return result }
                result.append((name, Self.unescape(bytes[valueStart..<position])))
            }
            position = nextLine(from: position)
        }
        return result
    }

    /// `save_env` of a set variable (`grub_envblk_set`): replaces its line
    /// or appends one in the padding; false when the block is broken or
    /// has no room (GRUB then writes nothing).
    public mutating func set(_ name: String, _ value: String) -> Bool {
        let nameBytes = Array(name.utf8)
        let newLength = value.utf8.reduce(0) { $0 + ($1 == Self.backslash || $1 == Self.newline ? 2 : 1) }
        let end = bytes.count
        var space = end - 1
        while space >= 0, bytes[space] == Self.hash { space -= 1 }
        guard space >= 0, bytes[space] == Self.newline else { return false }
        space += 1
        var position = Self.signature.count
        var found = false
        while position + nameBytes.count + 1 < space {
            if matches(nameBytes, at: position) {
                position += nameBytes.count + 1
                let length = escapedLength(from: position)
                guard position + length < end, end - space >= newLength - length else { return false }
                if newLength < length {
                    move(from: position + length, to: position + newLength, count: end - (position + length))
                    fill(from: space - (length - newLength), count: length - newLength)
                } else {
                    move(from: position + length, to: position + newLength, count: end - (position + newLength))
                }
                found = true
                break
            }
            position = nextLine(from: position)
        }
        if !found {
            guard end - space >= nameBytes.count + 1 + newLength + 1 else { return false }
            bytes.replaceSubrange(space..<(space + nameBytes.count), with: nameBytes)
            position = space + nameBytes.count
            bytes[position] = Self.equals
            position += 1
        }
        for byte in value.utf8 {
            if byte == Self.backslash || byte == Self.newline {
                bytes[position] = Self.backslash
                position += 1
            }
            bytes[position] = byte
            position += 1
        }
        bytes[position] = Self.newline
        return true
    }

    /// `save_env` of an unset variable (`grub_envblk_delete`): its line is
    /// removed and the block padded again.
    public mutating func delete(_ name: String) {
        let nameBytes = Array(name.utf8)
        let end = bytes.count
        var position = Self.signature.count
        while position + nameBytes.count + 1 < end {
            if matches(nameBytes, at: position) {
                var length = nameBytes.count + 1
                while position + length < end, bytes[position + length] != Self.newline {
                    length += bytes[position + length] == Self.backslash ? 2 : 1
                }
                guard position + length < end else { return }
                length += 1
                move(from: position + length, to: position, count: end - (position + length))
                fill(from: end - length, count: length)
                return
            }
            position = nextLine(from: position)
        }
    }

    /// Reads a block as `load_env` would: its variables, the last of a
    /// repeated name winning. Throws for a block larger than
    /// `maximumSize`, one that is not text, and one GRUB rejects.
    public static func parse(_ bytes: [UInt8], file: String) throws(GrubError) -> [String: String] {
        guard bytes.count <= maximumSize else {
            throw .limitExceeded(
                file: file, line: 1, what: "the environment block size \(bytes.count)", limit: maximumSize)
        }
        if let offset = GrubInvalidText.firstInvalidOffset(bytes) {
            throw .invalidEncoding(file: file, offset: offset)
        }
        guard let block = GrubEnvironmentBlock(bytes: bytes) else {
            throw .syntax(
                file: file, line: 1,
                message: "not a GRUB environment block (it must start with \"# GRUB Environment Block\")")
        }
        var variables = [String: String]()
        for (name, value) in block.variables { variables[name] = value }
        return variables
    }

    // MARK: Byte work, as envblk.c does it

    private func matches(_ name: [UInt8], at position: Int) -> Bool {
        bytes[position..<(position + name.count)].elementsEqual(name) && bytes[position + name.count] == Self.equals
    }

    /// The newline ending the value that starts at `position` (or the end).
    private func lineEnd(from start: Int) -> Int {
        var position = start
        while position < bytes.count, bytes[position] != Self.newline {
            position += bytes[position] == Self.backslash ? 2 : 1
        }
        return position
    }

    /// `find_next_line`: past the newline that ends this line.
    private func nextLine(from start: Int) -> Int { lineEnd(from: start) + 1 }

    /// The escaped length of the value starting at `start`.
    private func escapedLength(from start: Int) -> Int {
        var length = 0
        while start + length < bytes.count, bytes[start + length] != Self.newline {
            length += bytes[start + length] == Self.backslash ? 2 : 1
        }
        return length
    }

    private mutating func move(from source: Int, to destination: Int, count: Int) {
        guard count > 0 else { return }
        let chunk = Array(bytes[source..<(source + count)])
        bytes.replaceSubrange(destination..<(destination + count), with: chunk)
    }

    private mutating func fill(from start: Int, count: Int) {
        for index in start..<(start + count) { bytes[index] = Self.hash }
    }

    private static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var escaped = false
        for byte in bytes {
            if escaped {
                out.append(byte)
                escaped = false
            } else if byte == backslash {
                escaped = true
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
