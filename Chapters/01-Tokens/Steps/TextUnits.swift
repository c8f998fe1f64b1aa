/// Step 1: one piece of text seen as characters, Unicode scalars and UTF-8 bytes.

/// How one user-perceived character (a grapheme cluster) is stored.
public struct CharacterUnits: Sendable {
    /// The character as the reader sees it.
    public var character: Character
    /// Its Unicode scalars (code points); an emoji with a modifier has several.
    public var scalars: [Unicode.Scalar]
    /// Its UTF-8 bytes: 1 for ASCII, 2 to 4 for everything else, summed over the scalars.
    public var bytes: [UInt8]

    /// Scalars as `U+XXXX` codes.
    public var scalarCodes: String {
        scalars.map { "U+" + hex($0.value, digits: 4) }.joined(separator: " ")
    }

    /// Bytes as two-digit hex numbers.
    public var byteCodes: String {
        bytes.map { hex(UInt32($0), digits: 2) }.joined(separator: " ")
    }
}

/// The three counts a text has, which differ as soon as it leaves ASCII.
public struct TextCounts: Sendable, Equatable {
    /// Grapheme clusters (Swift's `String.count`).
    public var characters: Int
    /// Unicode scalars.
    public var scalars: Int
    /// UTF-8 bytes.
    public var bytes: Int
}

/// The character-by-character breakdown of `text`.
public func characterUnits(_ text: String) -> [CharacterUnits] {
    text.map { c in CharacterUnits(character: c, scalars: Array(c.unicodeScalars), bytes: Array(String(c).utf8)) }
}

/// Counts of characters, scalars and bytes of `text`.
public func textCounts(_ text: String) -> TextCounts {
    TextCounts(characters: text.count, scalars: text.unicodeScalars.count, bytes: text.utf8.count)
}

/// Upper-case hexadecimal, zero-padded to at least `digits`.
func hex(_ v: UInt32, digits: Int) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, digits - s.count)) + s
}
