/// A byte-level byte-pair-encoding tokenizer (the GPT-2 kind).
///
/// Text is cut into pieces by `PreTokenizer`, each piece becomes its UTF-8 bytes (one token
/// each), and merges are applied inside the piece: repeatedly the adjacent pair whose merge has
/// the lowest rank, leftmost first, becomes one token. This is exactly how Hugging Face
/// `tokenizers` applies a BPE model, so both give the same ids for the same `tokenizer.json`.
public struct BPETokenizer: Sendable {
    /// The merges in rank order: the pair (left id, right id) that merge number r joins.
    public private(set) var merges: [(Int, Int)]
    /// The bytes of every token, indexed by id.
    public private(set) var tokenBytes: [[UInt8]]
    /// The id of the single-byte token of each byte.
    public private(set) var byteIDs: [Int]
    /// (left << 32 | right) → (rank, id of the merged token).
    let mergeTable: [UInt64: (rank: Int, id: Int)]

    /// A tokenizer from its parts; `byteIDs` defaults to id b for byte b.
    /// Merged tokens must equal the concatenation of their parts (checked). A pair listed more
    /// than once takes the rank of its last listing, as in Hugging Face `tokenizers` (whose
    /// merge table is a map filled in list order); training never lists a pair twice.
    public init(tokenBytes: [[UInt8]], merges: [(Int, Int)], byteIDs: [Int]? = nil) {
        let ids = byteIDs ?? Array(0..<256)
        precondition(ids.count == 256 && ids.allSatisfy { tokenBytes.indices.contains($0) })
        var index: [[UInt8]: Int] = [:]
        for (i, t) in tokenBytes.enumerated() where index[t] == nil { index[t] = i }
        var table: [UInt64: (rank: Int, id: Int)] = [:]
        for (rank, (a, b)) in merges.enumerated() {
            guard let id = index[tokenBytes[a] + tokenBytes[b]] else {
                preconditionFailure("merge \(rank) makes a token that is not in the vocabulary")
            }
            table[pairKey(a, b)] = (rank, id)
        }
        self.tokenBytes = tokenBytes
        self.merges = merges
        self.byteIDs = ids
        self.mergeTable = table
    }

    /// Number of tokens in the vocabulary.
    public var vocabSize: Int { tokenBytes.count }

    /// Token ids of a string.
    public func encode(_ text: String) -> [Int] {
        encode(bytes: Array(text.utf8))
    }

    /// Token ids of raw bytes (any bytes, valid UTF-8 or not).
    public func encode(bytes: [UInt8]) -> [Int] {
        var cache: [[UInt8]: [Int]] = [:]  // pieces repeat a lot in real text
        var out: [Int] = []
        for piece in PreTokenizer.split(bytes: bytes) {
            if let ids = cache[piece] {
                out += ids
            } else {
                let ids = encodePiece(piece)
                cache[piece] = ids
                out += ids
            }
        }
        return out
    }

    /// Applies the merges inside one piece: lowest rank first, leftmost among equals.
    func encodePiece(_ piece: [UInt8]) -> [Int] {
        var symbols = piece.map { byteIDs[Int($0)] }
        while symbols.count > 1 {
            var best = Int.max, bestAt = -1, bestID = 0
            for k in 0..<(symbols.count - 1) {
                if let m = mergeTable[pairKey(symbols[k], symbols[k + 1])], m.rank < best {
                    best = m.rank; bestAt = k; bestID = m.id
                }
            }
            if bestAt < 0 { break }
            symbols[bestAt] = bestID
            symbols.remove(at: bestAt + 1)
        }
        return symbols
    }

    /// The bytes of a token sequence.
    public func decodeBytes(_ ids: [Int]) -> [UInt8] {
        var out: [UInt8] = []
        for id in ids { out += tokenBytes[id] }
        return out
    }

    /// The text of a token sequence; bytes that are not valid UTF-8 become U+FFFD, as in
    /// Hugging Face's ByteLevel decoder.
    public func decode(_ ids: [Int]) -> String {
        String(decoding: decodeBytes(ids), as: UTF8.self)
    }

    /// A readable form of one token: space as "·", newline as "↵", tab as "⇥", and any other
    /// control byte or byte of an incomplete UTF-8 sequence as "<0xNN>".
    public func tokenString(_ id: Int) -> String {
        let bytes = tokenBytes[id]
        var out = ""
        var i = 0
        while i < bytes.count {
            if let (scalar, length) = UTF8Validation.decodeScalar(bytes, at: i) {
                switch scalar {
                case 0x20: out += "·"
                case 0x0A: out += "↵"
                case 0x09: out += "⇥"
                case 0..<0x20, 0x7F: out += hexByte(bytes[i])
                default: out.unicodeScalars.append(Unicode.Scalar(scalar)!)
                }
                i += length
            } else {
                out += hexByte(bytes[i])
                i += 1
            }
        }
        return out
    }
}

func hexByte(_ b: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return "<0x" + String(digits[Int(b >> 4)]) + String(digits[Int(b & 15)]) + ">"
}

/// One dictionary key for an ordered pair of token ids.
@inline(__always)
func pairKey(_ a: Int, _ b: Int) -> UInt64 { UInt64(a) << 32 | UInt64(b) }
