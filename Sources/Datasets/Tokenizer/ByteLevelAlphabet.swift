/// GPT-2's reversible map between bytes and printable Unicode characters.
///
/// Byte-level BPE files store tokens as strings, but a token is a byte sequence that need not be
/// valid UTF-8 and may hold spaces or control bytes. GPT-2 therefore gives each byte a visible
/// stand-in: the 188 bytes that are already printable Latin-1 (`!`...`~`, `¡`...`¬`, `®`...`ÿ`)
/// stand for themselves and the other 68 (space, controls, ...) take U+0100, U+0101, ... in byte
/// order. A space becomes "Ġ" (U+0120) and a newline "Ċ" (U+010A).
public enum ByteLevelAlphabet {
    /// The stand-in character of each byte.
    public static let characters: [Character] = {
        var table = [Character](repeating: " ", count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            let printable = (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b)
            let scalar = printable ? UInt32(b) : { defer { next += 1 }; return next }()
            table[b] = Character(Unicode.Scalar(scalar)!)
        }
        return table
    }()

    /// The byte each stand-in scalar encodes.
    public static let bytes: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (b, c) in characters.enumerated() { map[c.unicodeScalars.first!.value] = UInt8(b) }
        return map
    }()

    /// The stand-in string of a byte sequence.
    public static func encode(_ bytes: [UInt8]) -> String {
        String(bytes.map { characters[Int($0)] })
    }

    /// The bytes a stand-in string encodes, or nil if it holds a character outside the alphabet.
    public static func decode(_ s: String) -> [UInt8]? {
        var out: [UInt8] = []
        for scalar in s.unicodeScalars {
            guard let b = bytes[scalar.value] else { return nil }
            out.append(b)
        }
        return out
    }
}
