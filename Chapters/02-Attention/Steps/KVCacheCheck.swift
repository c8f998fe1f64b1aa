import Engine
import Models

/// Step 8: does generating with the KV cache change anything?
public struct CacheComparison: Sendable {
    /// Tokens from `generate` (whole prefix rerun for every token) and from `generateCached`.
    public let uncachedTokens: [Int], cachedTokens: [Int]
    /// Largest |cached logit − full-forward logit| over every generated position and vocabulary entry.
    public let maxLogitDifference: Float
    /// Largest |logit| seen, the scale the difference is measured against.
    public let maxLogit: Float
    /// Positions pushed through the model: Σ over new tokens of the prefix length without the
    /// cache, one per token with it. The work saved, independent of the machine.
    public let uncachedPositions: Int, cachedPositions: Int
}

/// Generates `count` tokens after `prompt` both ways with the same seed and compares the tokens,
/// and compares the cached logits with those of one causal forward pass over the final sequence
/// (the mask makes row t of that pass exactly what a prefix of length t+1 would give).
public func compareCachedGeneration(_ model: GPT, prompt: [Int], count: Int, rule: SamplingRule, seed: UInt64) -> CacheComparison {
    var rngA = RNG(seed: seed), rngB = RNG(seed: seed)
    let plain = model.generate(prompt: prompt, count: count, rule: rule, rng: &rngA)
    let cached = model.generateCached(prompt: prompt, count: count, rule: rule, rng: &rngB)
    let v = model.config.vocab
    let full = Tensor.noGrad { model([Array(cached.tokens.dropLast())]) }   // [1, P+count−1, V]
    var worst: Float = 0, scale: Float = 0
    for (i, row) in cached.logits.enumerated() {
        let base = (prompt.count - 1 + i) * v
        for j in 0..<v {
            worst = Swift.max(worst, abs(row[j] - full.data[base + j]))
            scale = Swift.max(scale, abs(row[j]))
        }
    }
    let uncachedPositions = (0..<count).reduce(0) { $0 + Swift.min(prompt.count + $1, model.config.context) }
    return CacheComparison(uncachedTokens: plain, cachedTokens: cached.tokens, maxLogitDifference: worst, maxLogit: scale,
                           uncachedPositions: uncachedPositions, cachedPositions: prompt.count + count - 1)
}
