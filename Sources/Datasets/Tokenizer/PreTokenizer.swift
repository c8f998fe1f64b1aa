/// The GPT-2 pre-tokenizer, written out by hand: it cuts text into the pieces BPE works inside.
///
/// It reproduces Hugging Face `tokenizers`' ByteLevel pre-tokenizer with `use_regex: true` and
/// `add_prefix_space: false`, whose pattern is
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// tried left to right at each position, first matching alternative wins, every `+` greedy.
/// `\p{L}` is any letter category, `\p{N}` any number category, `\s` the Unicode White_Space
/// property (tab, newline, U+00A0, U+3000, ...), and the optional prefix is only the ASCII space.
/// The lookahead rule: a run of n ≥ 2 whitespace characters followed by a non-space is cut after
/// n − 1, so the last space can join the next word (" word"); at the end of the text the whole
/// run is one piece; a single whitespace before a non-space is a piece on its own unless it is
/// an ASCII space that starts the next piece.
public enum PreTokenizer {
    /// The pieces of `text`, which concatenate back to it exactly.
    public static func split(_ text: String) -> [String] {
        let units = Array(text.unicodeScalars).map { Unit(scalar: $0.value, class: classify($0)) }
        return ranges(units).map { r in
            var s = String.UnicodeScalarView()
            for u in units[r] { s.append(Unicode.Scalar(u.scalar)!) }
            return String(s)
        }
    }

    /// The pieces of raw bytes. Valid UTF-8 splits exactly as `split(_:)`; each byte of an
    /// invalid sequence counts as one punctuation-like character (Hugging Face only takes strings).
    public static func split(bytes: [UInt8]) -> [[UInt8]] {
        var units: [Unit] = [], spans: [Range<Int>] = []
        var i = 0
        while i < bytes.count {
            if let (scalar, length) = UTF8Validation.decodeScalar(bytes, at: i) {
                units.append(Unit(scalar: scalar, class: classify(Unicode.Scalar(scalar)!)))
                spans.append(i..<(i + length))
                i += length
            } else {
                units.append(Unit(scalar: UInt32.max, class: .other))
                spans.append(i..<(i + 1))
                i += 1
            }
        }
        return ranges(units).map { r in
            Array(bytes[spans[r.lowerBound].lowerBound..<spans[r.upperBound - 1].upperBound])
        }
    }

    enum Class { case letter, number, whitespace, other }

    struct Unit {
        var scalar: UInt32
        var `class`: Class
    }

    static func classify(_ s: Unicode.Scalar) -> Class {
        if s.properties.isWhitespace { return .whitespace }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return .other
        }
    }

    /// The pieces as ranges of units, by the alternation described on the type.
    static func ranges(_ u: [Unit]) -> [Range<Int>] {
        let n = u.count
        let apostrophe: UInt32 = 0x27, space: UInt32 = 0x20
        func scalar(_ i: Int) -> UInt32 { i < n ? u[i].scalar : 0 }
        var out: [Range<Int>] = []
        var i = 0
        while i < n {
            // 's 't 're 've 'm 'll 'd (lower case only, as in the pattern)
            if u[i].scalar == apostrophe {
                let a = scalar(i + 1), b = scalar(i + 2)
                if [0x73, 0x74, 0x6D, 0x64].contains(a) {  // s t m d
                    out.append(i..<(i + 2)); i += 2; continue
                }
                if (a == 0x72 && b == 0x65) || (a == 0x76 && b == 0x65) || (a == 0x6C && b == 0x6C) {  // re ve ll
                    out.append(i..<(i + 3)); i += 3; continue
                }
            }
            // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: an optional ASCII space, then a run of one class
            var start = i
            if u[i].scalar == space && i + 1 < n && u[i + 1].class != .whitespace { start = i + 1 }
            let c = u[start].class
            if c != .whitespace {
                var end = start + 1
                while end < n && u[end].class == c { end += 1 }
                out.append(i..<end); i = end; continue
            }
            // `\s+(?!\S)` then `\s+`
            var end = i + 1
            while end < n && u[end].class == .whitespace { end += 1 }
            if end < n && end - i >= 2 { end -= 1 }
            out.append(i..<end); i = end
        }
        return out
    }
}
