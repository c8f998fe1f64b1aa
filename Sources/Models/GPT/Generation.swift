import Engine

extension GPT {
    /// Generates `count` tokens after `prompt` by rerunning the whole (cropped) sequence through
    /// the model for every new token: simple, and quadratic in the length.
    public func generate(prompt: [Int], count: Int, rule: SamplingRule, rng: inout RNG) -> [Int] {
        precondition(!prompt.isEmpty, "generation needs at least one prompt token")
        var ids = prompt
        Tensor.noGrad {
            for _ in 0..<count {
                let window = Array(ids.suffix(config.context))
                let logits = self([window])
                let v = config.vocab, last = (window.count - 1) * v
                ids.append(rule.pick(Array(logits.values[last..<(last + v)]), rng: &rng))
            }
        }
        return ids
    }

    /// Generates like `generate` but keeps every layer's keys and values, so each new token costs
    /// one position of work instead of the whole sequence. Stops at the context length.
    /// Returns the tokens and the logits used for every new token (for comparing with `generate`).
    public func generateCached(prompt: [Int], count: Int, rule: SamplingRule, rng: inout RNG) -> (tokens: [Int], logits: [[Float]]) {
        precondition(!prompt.isEmpty, "generation needs at least one prompt token")
        precondition(prompt.count + count - 1 <= config.context,
                     "cached generation of \(prompt.count)+\(count) tokens exceeds the context of \(config.context)")
        let cache = KVCache(self)
        var ids = prompt
        var used: [[Float]] = []
        Tensor.noGrad {
            var logits: [Float] = []
            for (p, id) in prompt.enumerated() { logits = cache.step(token: id, position: p) }
            for _ in 0..<count {
                used.append(logits)
                let next = rule.pick(logits, rng: &rng)
                ids.append(next)
                if ids.count < prompt.count + count { logits = cache.step(token: next, position: ids.count - 1) }
            }
        }
        return (ids, used)
    }
}

/// Keys and values of every layer for the positions seen so far.
///
/// Attention at a new position needs the new query against all earlier keys and values; the
/// earlier ones never change (the mask stops them seeing later tokens), so they are kept here.
final class KVCache {
    let model: GPT
    var keys: [[Float]]    // per layer: position-major [t, width]
    var values: [[Float]]

    init(_ model: GPT) {
        self.model = model
        keys = Array(repeating: [], count: model.config.layers)
        values = keys
    }

    /// Feeds one token at `position` and returns the next-token logits.
    func step(token: Int, position: Int) -> [Float] {
        let c = model.config, d = c.width, h = c.heads, dh = d / h
        var x = model.tok(ids: [token], shape: [1, 1]) + model.pos(ids: [position], shape: [1])
        for (l, block) in model.blocks.enumerated() {
            let qkv = block.attn.qkv(block.ln1(x)).values  // [3d]: q, k, v
            keys[l] += qkv[d..<(2 * d)]
            values[l] += qkv[(2 * d)..<(3 * d)]
            let t = position + 1
            var y = [Float](repeating: 0, count: d)
            let scale = 1 / Float(dh).squareRoot()
            for head in 0..<h {
                var scores = [Float](repeating: 0, count: t)
                for j in 0..<t {
                    var s: Float = 0
                    for e in 0..<dh { s += qkv[head * dh + e] * keys[l][j * d + head * dh + e] }
                    scores[j] = s * scale
                }
                let weights = Tensor(scores).softmax().values
                for j in 0..<t {
                    for e in 0..<dh { y[head * dh + e] += weights[j] * values[l][j * d + head * dh + e] }
                }
            }
            x = x + block.attn.proj(Tensor(shape: [1, 1, d], values: y))
            x = x + block.mlp(block.ln2(x))
        }
        return model.head(model.ln(x)).values
    }
}
