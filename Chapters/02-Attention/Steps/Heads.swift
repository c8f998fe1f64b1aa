import Engine

/// Step 3: multi-head attention taken apart: each head's own attention, then the output projection.
public struct HeadsTrace {
    /// Per head: its attention weights [T, T] and its output [T, d/heads].
    public let weights: [Tensor], outputs: [Tensor]
    /// The heads' outputs side by side: [T, d].
    public let concatenated: Tensor
    /// `proj` applied to the concatenation: [T, d], what the layer returns.
    public let projected: Tensor
    /// Per head h, the size (root mean square over positions and features) of its contribution
    /// W_o[:, slice h]·y_h to the layer's output: how much the projection lets each head through.
    public let contributionRMS: [Float]
}

/// Runs `attention` on one sequence `x` [T, d] head by head with the chapter's own
/// `scaledDotProductAttention`, reading q, k and v out of the layer's fused `qkv` projection.
public func traceHeads(_ attention: MultiHeadSelfAttention, _ x: Tensor) -> HeadsTrace {
    let t = x.shape[0], d = attention.dim, h = attention.heads, dh = d / h
    let qkv = attention.qkv(x)                                     // [T, 3d] = [q | k | v]
    var weights: [Tensor] = [], outputs: [Tensor] = []
    for head in 0..<h {
        let q = qkv.slice(axis: 1, (head * dh)..<((head + 1) * dh))
        let k = qkv.slice(axis: 1, (d + head * dh)..<(d + (head + 1) * dh))
        let v = qkv.slice(axis: 1, (2 * d + head * dh)..<(2 * d + (head + 1) * dh))
        let r = scaledDotProductAttention(q: q, k: k, v: v, causal: attention.causal)
        weights.append(r.weights)
        outputs.append(r.output)
    }
    let concatenated = Tensor.concat(outputs, axis: 1)
    let projected = attention.proj(concatenated)
    // The projection is linear, so the output is the sum of one term per head (plus the bias).
    let w = attention.proj.weight                                   // [d, d]: out × in
    var rms: [Float] = []
    for head in 0..<h {
        let part = outputs[head].matmul(w.slice(axis: 1, (head * dh)..<((head + 1) * dh)).transpose())
        rms.append((part.values.reduce(Float(0)) { $0 + $1 * $1 } / Float(t * d)).squareRoot())
    }
    return HeadsTrace(weights: weights, outputs: outputs, concatenated: concatenated, projected: projected, contributionRMS: rms)
}
