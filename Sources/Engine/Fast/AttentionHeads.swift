// The per-head loops of `Tensor.fusedSelfAttention`: each product reads its head's q, k and v
// in place from the fused [B, T, 3C] projection (row stride 3C) and writes its output columns in
// place (row stride C), so no per-head copies exist. Each product is the same `Gemm.fast` call
// the composed ops make, with the same depth order, so the bits are the composed ops' (a test
// checks this). One task per (sample, head).

/// Forward: weights [B, heads, T, T] = softmax(q·kᵀ·scale) (hidden keys 0 when causal), out
/// [B, T, C] = weights·v per head. Reference twin: `Reference.attentionForward`.
func attentionHeadsForward(_ qkv: UnsafePointer<Float>, b: Int, t: Int, c: Int, heads: Int, causal: Bool,
                           out o: UnsafeMutablePointer<Float>, weights p: UnsafeMutablePointer<Float>) {
    let d = c / heads, scale = 1 / Float(d).squareRoot()
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
}

/// Backward: dqkv [B, T, 3C] from the output gradient g [B, T, C] and the forward's weights.
/// Reference twin: `Reference.attentionBackward`.
func attentionHeadsBackward(_ qkv: UnsafePointer<Float>, _ gp: UnsafePointer<Float>, weights pp: UnsafePointer<Float>,
                            b: Int, t: Int, c: Int, heads: Int, causal: Bool, dqkv dp: UnsafeMutablePointer<Float>) {
    let d = c / heads, scale = 1 / Float(d).squareRoot()
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
}
