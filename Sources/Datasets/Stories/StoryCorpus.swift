import Engine

/// An endless, seeded corpus of short English-like stories whose exact entropy is known.
///
/// Document i depends only on the seed and i, so any slice can be generated alone and in parallel.
/// Stories have recurring characters, pronouns that refer back to them, a home place that comes
/// back at the end, colours that return in descriptions ("the red fox"), counting words that
/// agree with plural nouns and dialogue in quotes: structure that a model with context can use and
/// a bigram model cannot.
public struct StoryCorpus: Sendable {
    /// The seed every document is derived from.
    public let seed: UInt64
    /// The grammar (and through it the vocabulary) stories are written with.
    public let grammar: StoryGrammar
    /// Placed between documents by `text(documents:)`. Every story ends with a closing sentence
    /// after which nothing can follow, so the separator is certain and costs 0 bits.
    public static let separator = "\n\n"

    /// The corpus for `seed`, with the standard grammar unless another is given.
    public init(seed: UInt64, grammar: StoryGrammar = StoryGrammar()) {
        self.seed = seed
        self.grammar = grammar
    }

    /// The standard vocabulary's words by category ("animals", "colours", ...).
    public static var categories: [String: [String]] { StoryVocabulary.standard.categories }

    /// The random stream that writes document `i`: each document has its own, derived from the
    /// corpus seed and the index, so documents can be made in any order or in parallel.
    public func documentRNG(_ i: Int) -> RNG {
        precondition(i >= 0, "document index must be non-negative, got \(i)")
        return RNG(seed: mix(seed ^ mix(UInt64(i) &+ 0x5EED)))
    }

    /// Document `i` (any i ≥ 0), the same on every call and machine.
    public func document(_ i: Int) -> Story {
        grammar.write(using: SamplingChooser(rng: documentRNG(i))).story
    }

    /// Documents `range`, generated in parallel (each one independent of the thread count).
    public func documents(_ range: Range<Int>) -> [Story] {
        var out = [Story?](repeating: nil, count: range.count)
        out.withUnsafeMutableBufferPointer { buf in
            Parallel.forRanges(range.count, minChunk: 64) { r in
                for k in r { buf[k] = document(range.lowerBound + k) }
            }
        }
        return out.map { $0! }
    }

    /// Documents 0..<n joined by `separator` (no separator after the last).
    public func text(documents n: Int) -> String {
        documents(0..<n).map(\.text).joined(separator: StoryCorpus.separator)
    }

    /// The entropy rate of the stream `text(documents:)`, estimated over documents 0..<n.
    ///
    /// The rate is total bits over total length, counting one separator (0 bits) per document.
    /// Its standard error treats documents as independent ratio samples (delta method):
    /// se = sqrt(Σ (b_i − R·c_i)² / (n(n−1))) / mean(c).
    public func entropyRate(documents n: Int) -> EntropyRate {
        precondition(n >= 2, "need at least two documents for a standard error")
        let stories = documents(0..<n)
        let sep = StoryCorpus.separator
        let bits = stories.map(\.bits)
        let chars = stories.map { Double($0.text.count + sep.count) }
        let bytes = stories.map { Double($0.text.utf8.count + sep.utf8.count) }
        func ratio(_ lengths: [Double]) -> (Double, Double) {
            let r = bits.reduce(0, +) / lengths.reduce(0, +)
            var ss = 0.0
            for k in 0..<n { ss += (bits[k] - r * lengths[k]) * (bits[k] - r * lengths[k]) }
            let meanLength = lengths.reduce(0, +) / Double(n)
            return (r, (ss / Double(n * (n - 1))).squareRoot() / meanLength)
        }
        let c = ratio(chars), b = ratio(bytes)
        return EntropyRate(bitsPerCharacter: c.0, bitsPerByte: b.0,
                           standardErrorPerCharacter: c.1, standardErrorPerByte: b.1,
                           documents: n, characters: Int(chars.reduce(0, +)), bytes: Int(bytes.reduce(0, +)))
    }
}

/// An estimate of a corpus's true entropy rate: the loss a perfect model would reach.
public struct EntropyRate: Sendable {
    /// Bits per character (Unicode extended grapheme cluster; the corpus is ASCII).
    public var bitsPerCharacter: Double
    /// Bits per UTF-8 byte (equal to the above for ASCII text).
    public var bitsPerByte: Double
    /// Standard error of `bitsPerCharacter`.
    public var standardErrorPerCharacter: Double
    /// Standard error of `bitsPerByte`.
    public var standardErrorPerByte: Double
    /// Documents averaged over.
    public var documents: Int
    /// Characters counted, separators included.
    public var characters: Int
    /// Bytes counted, separators included.
    public var bytes: Int
}

/// SplitMix64's finaliser: spreads seed and index bits so nearby (seed, index) pairs get unrelated streams.
func mix(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
