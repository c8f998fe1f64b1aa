/// Scaled dot-product attention read straight out of a fused q|k|v projection: what the
/// composed ops (reshape, permute, split, matmul, causal softmax, matmul, permute back) compute,
/// bit for bit, without their five copies of the activations each way (Fast/AttentionHeads.swift).
extension Tensor {
    /// Multi-head attention over `self` = [B, T, 3C] holding [q | k | v] (each C wide, split into
    /// `heads` slices of D = C/heads): per head, weights = softmax(q·kᵀ/√D), output = weights·v,
    /// with keys after the query hidden when `causal`. Returns the heads' outputs side by side,
    /// [B, T, C], and the weights [B, heads, T, T] (detached, for inspection).
    ///
    /// Backward, per head, with P the weights and G the output gradient:
    /// dV = Pᵀ·G, dP = G·Vᵀ, dS = P ⊙ (dP − Σ dP⊙P)/√D (0 where hidden), dQ = dS·K, dK = dSᵀ·Q.
    /// Reference twin: `Reference.attentionForward`/`attentionBackward`, composed of matmul and softmax.
    public func fusedSelfAttention(heads: Int, causal: Bool) -> (output: Tensor, weights: Tensor) {
        precondition(rank == 3 && shape[2] % 3 == 0 && heads > 0 && (shape[2] / 3) % heads == 0,
                     "fusedSelfAttention needs [B, T, 3C] with C divisible by \(heads) heads, got \(shape)")
        let b = shape[0], t = shape[1], c = shape[2] / 3
        if Engine.useReference {
            return Reference.attentionOp(self, Reference.AttentionShape(batch: b, t: t, c: c, heads: heads, causal: causal))
        }
        let out = Tensor.empty([b, t, c])
        let weights = Tensor.empty([b, heads, t, t])
        let qkv = data
        attentionHeadsForward(qkv, b: b, t: t, c: c, heads: heads, causal: causal, out: out.mutableData, weights: weights.mutableData)
        let saved = weights.detach()
        let result = Tensor.record(out, [self]) { g in
            let dqkv = Tensor.empty([b, t, 3 * c])
            attentionHeadsBackward(qkv, g.data, weights: saved.data, b: b, t: t, c: c, heads: heads, causal: causal,
                                   dqkv: dqkv.mutableData)
            return [dqkv]
        }
        return (result, saved)
    }
}
