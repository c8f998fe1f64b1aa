/// Run-length tokens: a frame-rate token sequence folded into one token per run of equal codes.
///
/// At 50 frames a second a steady vowel is a run of the same code, so a word spreads over 15–25
/// frame tokens, most of them repeats; a small GPT then spends its context and capacity copying
/// the previous token. AudioLM deduplicates its semantic tokens for the same reason. Dropping the
/// repeats would also drop the durations, so here a token carries both: token = code · maxRun +
/// (run − 1) for a run of 1…`maxRun` frames, and a longer run is written as several tokens of the
/// same code (`maxRun` frames each, then the rest). The fold is exact: `expand(fold(c)) == c`.
public struct RunLengthTokens: Sendable, Equatable {
    /// Number of frame codes (the codebook size).
    public let codes: Int
    /// The longest run one token stands for.
    public let maxRun: Int

    /// A fold for `codes` frame codes and runs up to `maxRun` frames.
    public init(codes: Int, maxRun: Int) {
        precondition(codes >= 1 && maxRun >= 1, "run-length tokens need codes ≥ 1 and maxRun ≥ 1, got \(codes), \(maxRun)")
        self.codes = codes
        self.maxRun = maxRun
    }

    /// The token vocabulary: every (code, run) pair.
    public var vocabulary: Int { codes * maxRun }

    /// The token of `run` frames (1…maxRun) of `code`.
    public func token(code: Int, run: Int) -> Int {
        precondition((0..<codes).contains(code) && (1...maxRun).contains(run), "no token for code \(code), run \(run)")
        return code * maxRun + run - 1
    }

    /// The code and run length a token stands for.
    public func split(_ token: Int) -> (code: Int, run: Int) {
        precondition((0..<vocabulary).contains(token), "token \(token) is outside 0..<\(vocabulary)")
        return (token / maxRun, token % maxRun + 1)
    }

    /// One token per run of equal codes (long runs split into pieces of at most `maxRun`).
    public func fold(_ frameCodes: [Int]) -> [Int] {
        var out: [Int] = []
        var i = 0
        while i < frameCodes.count {
            let c = frameCodes[i]
            var j = i
            while j < frameCodes.count && frameCodes[j] == c && j - i < maxRun { j += 1 }
            out.append(token(code: c, run: j - i))
            i = j
        }
        return out
    }

    /// The frame codes the tokens stand for (each code repeated for its run).
    public func expand(_ tokens: [Int]) -> [Int] {
        var out: [Int] = []
        for t in tokens {
            let (c, r) = split(t)
            out += [Int](repeating: c, count: r)
        }
        return out
    }

    /// Frames the tokens stand for (the length of `expand(tokens)`).
    public func frames(_ tokens: [Int]) -> Int { tokens.reduce(0) { $0 + split($1).run } }
}
