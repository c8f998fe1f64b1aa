import Engine
import Datasets

/// Step 2 and 3: the corpus split into training and held-out text, and what BPE makes of it.

/// Training and held-out text from disjoint document ranges of one corpus.
public struct TokenizerData: Sendable {
    /// Text the tokenizer is trained on.
    public var train: String
    /// Text it never saw, for measuring compression honestly.
    public var heldOut: String

    /// Documents `0..<trainDocuments` for training and `heldOutStart..<heldOutStart+heldOutDocuments` held out.
    /// The held-out range starts far away so the two never overlap.
    public init(corpus: StoryCorpus, trainDocuments: Int, heldOutDocuments: Int, heldOutStart: Int = 1_000_000) {
        precondition(heldOutStart >= trainDocuments, "held-out documents must not overlap the training ones")
        train = corpus.text(documents: trainDocuments)
        heldOut = corpus.documents(heldOutStart..<(heldOutStart + heldOutDocuments))
            .map(\.text).joined(separator: StoryCorpus.separator)
    }
}

/// One merge of the table, in readable form.
public struct MergeRow: Sendable {
    /// Position in the merge list (0 = first learned).
    public var rank: Int
    /// The two tokens joined, written with `tokenString`.
    public var left: String, right: String
    /// The token they make.
    public var result: String
    /// Its id.
    public var id: Int
}

/// The first `count` merges of `tokenizer` as readable strings.
public func mergeRows(_ tokenizer: BPETokenizer, count: Int) -> [MergeRow] {
    var index: [[UInt8]: Int] = [:]
    for (i, t) in tokenizer.tokenBytes.enumerated() where index[t] == nil { index[t] = i }
    return tokenizer.merges.prefix(count).enumerated().map { r, m in
        let id = index[tokenizer.tokenBytes[m.0] + tokenizer.tokenBytes[m.1]]!
        return MergeRow(rank: r, left: tokenizer.tokenString(m.0), right: tokenizer.tokenString(m.1),
                        result: tokenizer.tokenString(id), id: id)
    }
}

/// How well one vocabulary size compresses held-out text.
public struct CompressionPoint: Sendable {
    /// The size asked for.
    public var requestedVocab: Int
    /// The size training reached (smaller when the corpus runs out of pairs to merge).
    public var vocab: Int
    /// Tokens needed for the held-out text.
    public var tokens: Int
    /// UTF-8 bytes of the held-out text.
    public var bytes: Int
    /// Bytes per token: 1 for raw bytes, higher is better compression.
    public var bytesPerToken: Double { Double(bytes) / Double(tokens) }
}

/// Trains a tokenizer of every size in `sizes` on `data.train` and measures bytes per token on
/// `data.heldOut`. Training is deterministic, so each size is trained from scratch; the sizes are
/// independent and run in parallel.
public func compressionSweep(_ data: TokenizerData, sizes: [Int]) -> [CompressionPoint] {
    let bytes = data.heldOut.utf8.count
    var out = [CompressionPoint?](repeating: nil, count: sizes.count)
    out.withUnsafeMutableBufferPointer { buf in
        Parallel.forRanges(sizes.count, minChunk: 1) { r in
            for k in r {
                let t = BPETokenizer.train(text: data.train, vocabSize: sizes[k])
                buf[k] = CompressionPoint(requestedVocab: sizes[k], vocab: t.vocabSize,
                                          tokens: t.encode(data.heldOut).count, bytes: bytes)
            }
        }
    }
    return out.map { $0! }
}

/// Bytes in each token of `ids` (for the token-length histogram over encoded text).
public func tokenLengths(_ tokenizer: BPETokenizer, ids: [Int]) -> [Int] {
    ids.map { tokenizer.tokenBytes[$0].count }
}

/// Bytes in each token of the vocabulary beyond the 256 single bytes (the learned tokens).
public func learnedTokenLengths(_ tokenizer: BPETokenizer) -> [Int] {
    tokenizer.tokenBytes.dropFirst(256).map(\.count)
}
