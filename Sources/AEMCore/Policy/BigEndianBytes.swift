extension FixedWidthInteger {
    /// The value's bytes, most significant first: how TPM structures
    /// serialize integers.
    var bigEndianBytes: [UInt8] {
        withUnsafeBytes(of: bigEndian) { Array($0) }
    }
}
