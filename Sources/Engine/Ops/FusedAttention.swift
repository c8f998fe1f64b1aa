#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scaled dot-product attention read straight out of a fused q|k|v projection.
///
/// The composed version reshapes [B, T, 3C] to [B, T, 3, H, D], permutes it to [3, B, H, T, D],
/// splits it, materialises kᵀ and, after the products, permutes [B, H, T, D] back to [B, T, C]:
/// five copies of the activations forward and five more backward. Here every product reads its
/// head's slice in place (a row stride of 3C for q, k, v and C for the output), so the only new
/// memory is the attention weights, which backward needs anyway.
///
/// Each product is the same `Gemm.fast` call the composed ops make, with the same depth order, so
/// the result is bit-for-bit the composed one (a test checks this); only the copies are gone.
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
        let b = shape[0], t = shape[1], c = shape[2] / 3, d = c / heads
        let scale = 1 / Float(d).squareRoot()
        let out = Tensor.empty([b, t, c])
        let weights = Tensor.empty([b, heads, t, t])
        let qkv = data, o = out.data, p = weights.data
        // One task per (sample, head); each writes only its own weights block and output columns.
        Parallel.forRanges(b * heads) { pairs in
            for pair in pairs {
                let s = pair / heads, h = pair % heads
                let q = qkv + s * t * 3 * c + h * d, k = q + c, v = q + 2 * c
                let w = p + pair * t * t
                Gemm.fast(transA: false, transB: true, m: t, n: t, k: d, a: q, lda: 3 * c, b: k, ldb: 3 * c,
                          c: w, ldc: t, accumulate: false, threads: 1)
                attentionSoftmaxRows(w, w, rows: 0..<t, n: t, scale: scale, causal: causal)
                Gemm.fast(transA: false, transB: false, m: t, n: d, k: t, a: w, lda: t, b: v, ldb: 3 * c,
                          c: o + s * t * c + h * d, ldc: c, accumulate: false, threads: 1)
            }
        }
        let saved = weights.detach()
        let result = Tensor.record(out, [self]) { g in
            let dqkv = Tensor.empty([b, t, 3 * c])
            let gp = g.data, dp = dqkv.data, pp = saved.data
            Parallel.forRanges(b * heads) { pairs in
                let ds = Gemm.alignedFloats(t * t)
                defer { free(ds) }
                for pair in pairs {
                    let s = pair / heads, h = pair % heads
                    let q = qkv + s * t * 3 * c + h * d, k = q + c, v = q + 2 * c
                    let dq = dp + s * t * 3 * c + h * d, dk = dq + c, dv = dq + 2 * c
                    let go = gp + s * t * c + h * d, w = pp + pair * t * t
                    Gemm.fast(transA: true, transB: false, m: t, n: d, k: t, a: w, lda: t, b: go, ldb: c,
                              c: dv, ldc: 3 * c, accumulate: false, threads: 1)
                    Gemm.fast(transA: false, transB: true, m: t, n: t, k: d, a: go, lda: c, b: v, ldb: 3 * c,
                              c: ds, ldc: t, accumulate: false, threads: 1)
                    attentionSoftmaxBackwardRows(w, ds, ds, rows: 0..<t, n: t, scale: scale, causal: causal)
                    Gemm.fast(transA: false, transB: false, m: t, n: d, k: t, a: ds, lda: t, b: k, ldb: 3 * c,
                              c: dq, ldc: 3 * c, accumulate: false, threads: 1)
                    Gemm.fast(transA: true, transB: false, m: t, n: d, k: t, a: ds, lda: t, b: q, ldb: 3 * c,
                              c: dk, ldc: 3 * c, accumulate: false, threads: 1)
                }
            }
            return [dqkv]
        }
        return (result, saved)
    }
}

/// Softmax of scale·x over each row of a [·, n] block of attention scores, in place allowed
/// (x == y). With `causal`, row r sees keys 0...r mod n; the rest get weight 0 and are never
/// exponentiated (the same bits as filling them with −∞ first: see SoftmaxRows.swift).
func attentionSoftmaxRows(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Range<Int>,
                          n: Int, scale: Float, causal: Bool) {
    for row in rows {
        let visible = causal ? row % n + 1 : n
        softmaxRow(x + row * n, y + row * n, visible, scale: scale)
        (y + row * n + visible).update(repeating: 0, count: n - visible)
    }
}

/// Backward of `attentionSoftmaxRows`: dx = y ⊙ (g − Σ g⊙y) · scale per row, 0 where hidden.
/// In place allowed (g == dx).
func attentionSoftmaxBackwardRows(_ y: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                                  rows: Range<Int>, n: Int, scale: Float, causal: Bool) {
    for row in rows {
        let visible = causal ? row % n + 1 : n
        softmaxBackwardRow(y + row * n, g + row * n, dx + row * n, visible, scale: scale)
        (dx + row * n + visible).update(repeating: 0, count: n - visible)
    }
}
