import Engine
import Models

/// Step 1: one query against a few keys, every intermediate kept so the chapter can print it.
public struct SingleQueryAttention: Sendable {
    /// q·kⱼ for every key j.
    public let scores: [Float]
    /// q·kⱼ / √d: the scores on the scale the softmax sees.
    public let scaled: [Float]
    /// softmax of the scaled scores: how much of each value the query takes (sums to 1).
    public let weights: [Float]
    /// Σⱼ weightⱼ · vⱼ: the query's output, a blend of the values.
    public let output: [Float]
}

/// Softmax of a short list, computed as exp(x − max) / Σ exp(x − max) so large scores cannot overflow.
public func softmax(_ x: [Float]) -> [Float] {
    let m = x.max() ?? 0
    let e = x.map { expf($0 - m) }
    let s = e.reduce(0, +)
    return e.map { $0 / s }
}

/// Scaled dot-product attention for a single query, written as plain loops.
///
/// Dividing by √d keeps the scores' spread independent of the key width d: for random vectors
/// with unit-variance entries, q·k has variance d, and without the division a wide model's
/// softmax would start out nearly one-hot, with vanishing gradients to the other keys.
public func attendOne(query: [Float], keys: [[Float]], values: [[Float]]) -> SingleQueryAttention {
    precondition(!keys.isEmpty && keys.count == values.count, "attention needs one value per key")
    precondition(keys.allSatisfy { $0.count == query.count }, "keys must have the query's width")
    let d = query.count
    let scores = keys.map { k in zip(query, k).reduce(Float(0)) { $0 + $1.0 * $1.1 } }
    let scaled = scores.map { $0 / Float(d).squareRoot() }
    let weights = softmax(scaled)
    var output = [Float](repeating: 0, count: values[0].count)
    for (w, v) in zip(weights, values) {
        for i in output.indices { output[i] += w * v[i] }
    }
    return SingleQueryAttention(scores: scores, scaled: scaled, weights: weights, output: output)
}

/// Step 2: the same computation for every query of a sequence at once, as matrix products.
///
/// q, k: [..., T, d], v: [..., T, dv]. Scores = q·kᵀ/√d is [..., T, T] (row i: query i against every
/// key); with `causal`, entries above the diagonal (key later than query) are set to −∞ before the
/// softmax, so they get weight exactly 0. Output = weights·v, [..., T, dv]. Differentiable.
public func scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, causal: Bool) -> (weights: Tensor, output: Tensor) {
    let t = q.shape[q.rank - 2], d = q.shape[q.rank - 1]
    precondition(k.shape == q.shape && v.shape[v.rank - 2] == t, "q and k must match, and v must have one row per key")
    var scores = q.matmul(k.transpose()).scaled(1 / Float(d).squareRoot())
    if causal { scores = scores.maskedFill(MultiHeadSelfAttention.causalMask(t), -Float.infinity) }
    let weights = scores.softmax()
    return (weights, weights.matmul(v))
}

/// How far a change to the last token travels backwards: the largest change in the attention
/// output at positions 0..<T−1 when only the input at position T−1 is replaced. Zero with the
/// causal mask (earlier positions never look at it); clearly nonzero without.
public func backwardLeak(q: Tensor, k: Tensor, v: Tensor, replacementKey: [Float], replacementValue: [Float], causal: Bool) -> Float {
    let t = q.shape[0]
    let before = scaledDotProductAttention(q: q, k: k, v: v, causal: causal).output
    let k2 = k.copy(), v2 = v.copy()
    for (i, x) in replacementKey.enumerated() { k2.storage.pointer[(t - 1) * k.shape[1] + i] = x }
    for (i, x) in replacementValue.enumerated() { v2.storage.pointer[(t - 1) * v.shape[1] + i] = x }
    let after = scaledDotProductAttention(q: q, k: k2, v: v2, causal: causal).output
    var worst: Float = 0
    for i in 0..<((t - 1) * v.shape[1]) { worst = Swift.max(worst, abs(after.data[i] - before.data[i])) }
    return worst
}
