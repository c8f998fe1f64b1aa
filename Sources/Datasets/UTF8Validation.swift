/// Strict UTF-8 decoding of one scalar at a time, so errors can name the exact byte offset.
enum UTF8Validation {
    /// The scalar starting at `i` and its length in bytes, or nil if the bytes there are not valid
    /// UTF-8 (a stray continuation byte, a truncated sequence, an overlong form, a surrogate, or
    /// a value above U+10FFFF).
    static func decodeScalar(_ b: [UInt8], at i: Int) -> (UInt32, Int)? {
        let b0 = b[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        let length: Int, minimum: UInt32
        var value: UInt32
        switch b0 {
        case 0xC2...0xDF: length = 2; minimum = 0x80; value = UInt32(b0 & 0x1F)
        case 0xE0...0xEF: length = 3; minimum = 0x800; value = UInt32(b0 & 0x0F)
        case 0xF0...0xF4: length = 4; minimum = 0x10000; value = UInt32(b0 & 0x07)
        default: return nil
        }
        guard i + length <= b.count else { return nil }
        for k in 1..<length {
            let c = b[i + k]
            guard c & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(c & 0x3F)
        }
        guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else { return nil }
        return (value, length)
    }

    /// The offset of the first byte that does not start a valid scalar, or nil if all is valid.
    static func firstInvalidOffset(_ b: [UInt8]) -> Int? {
        var i = 0
        while i < b.count {
            guard let (_, length) = decodeScalar(b, at: i) else { return i }
            i += length
        }
        return nil
    }
}
