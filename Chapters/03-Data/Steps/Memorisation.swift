import Engine
import Models

/// Memorisation measured the way the extraction literature does (Carlini et al. 2022, "Quantifying
/// memorization across neural language models"): take `prefix` tokens of a training document as a
/// prompt, decode greedily, and count the document's next `suffix` tokens as extracted when the
/// model reproduces them exactly. Repeated for windows along each document and binned by how often
/// the document occurs in the training data; documents the model never saw give the floor (what
/// the text's own regularity lets a model guess without memory).
///
/// The counting is separate from any model, so it can be tested with a hand-made continuation rule.
public struct ExtractionProbe: Sendable {
    /// Prompt length in tokens (bytes).
    public var prefix: Int
    /// Suffix lengths scored; one greedy continuation of the longest serves all (greedy decoding
    /// is deterministic, so its first k tokens are the k-token continuation).
    public var suffixes: [Int]
    /// Distance between window starts in a document.
    public var stride: Int

    /// A probe; `suffixes` must be non-empty and positive.
    public init(prefix: Int, suffixes: [Int], stride: Int) {
        precondition(prefix > 0 && stride > 0 && !suffixes.isEmpty && suffixes.allSatisfy { $0 > 0 }, "bad extraction probe settings")
        self.prefix = prefix
        self.suffixes = suffixes.sorted()
        self.stride = stride
    }

    /// The chapter's probe for a model with context `context`: half the context as prompt, and
    /// suffixes of an eighth, a quarter and half of it (so prompt + longest suffix fits).
    public static func standard(context: Int) -> ExtractionProbe {
        ExtractionProbe(prefix: context / 2, suffixes: [context / 8, context / 4, context / 2], stride: context / 4)
    }

    /// Where windows start in a document of `length` tokens: the first suffix starts after a whole
    /// prompt, then every `stride` tokens while the longest suffix still fits.
    public func windowStarts(length: Int) -> [Int] {
        let longest = suffixes.last!
        guard length >= prefix + longest else { return [] }
        return Array(Swift.stride(from: prefix, through: length - longest, by: stride))
    }

    /// Extraction counts on `documents`: for every suffix length, how many windows were reproduced
    /// exactly, out of how many. `continuation(prompt, n)` returns the model's greedy `n` tokens.
    public func count(_ documents: [[Int]], continuation: ([Int], Int) -> [Int]) -> (hits: [Int], windows: Int) {
        var hits = Array(repeating: 0, count: suffixes.count), windows = 0
        let longest = suffixes.last!
        for d in documents {
            for s in windowStarts(length: d.count) {
                let out = continuation(Array(d[(s - prefix)..<s]), longest)
                precondition(out.count == longest, "a continuation must have the requested length")
                windows += 1
                for (i, k) in suffixes.enumerated() where Array(out.prefix(k)) == Array(d[s..<(s + k)]) { hits[i] += 1 }
            }
        }
        return (hits, windows)
    }

    /// Shares of windows extracted, per suffix length, under `model`'s greedy decoding.
    public func rates(_ model: GPT, texts: [String]) -> [Double] {
        rates(model, documents: texts.map { Array($0.utf8).map(Int.init) })
    }

    /// `rates` on documents given as token ids.
    public func rates(_ model: GPT, documents: [[Int]]) -> [Double] {
        precondition(prefix + suffixes.last! - 1 <= model.config.context, "prompt and suffix exceed the model's context")
        var rng = RNG(seed: 0)  // greedy decoding draws no random numbers
        let c = count(documents) { prompt, n in
            Array(model.generateCached(prompt: prompt, count: n, rule: .greedy, rng: &rng).tokens.suffix(n))
        }
        return c.hits.map { c.windows == 0 ? 0 : Double($0) / Double(c.windows) }
    }
}

/// A bin of documents by how often they occur in the training data.
public struct CopyBin: Sendable, Equatable {
    /// The label shown in tables ("1", "5–16", ...).
    public var label: String
    /// Occurrence counts in the bin.
    public var range: ClosedRange<Int>

    /// Bins by powers of four: 1, 2–4, 5–16, 17–64, 65–256, 257–1024 and so on up to `maximum`,
    /// so each bin spans the same factor of copies (memorisation grows roughly with log copies).
    public static func powersOfFour(upTo maximum: Int) -> [CopyBin] {
        var out = [CopyBin(label: "1", range: 1...1)]
        var low = 2, high = 4
        while low <= maximum {
            out.append(CopyBin(label: "\(low)–\(high)", range: low...high))
            low = high + 1
            high *= 4
        }
        return out
    }

    /// For each bin, the indices (ascending) whose occurrence count falls in it; empty bins are dropped.
    public static func assign(_ occurrences: [Int], to bins: [CopyBin]) -> [(bin: CopyBin, members: [Int])] {
        bins.compactMap { b in
            let m = occurrences.indices.filter { b.range.contains(occurrences[$0]) }
            return m.isEmpty ? nil : (b, m)
        }
    }
}
