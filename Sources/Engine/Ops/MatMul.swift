/// Matrix products: `matmul` (batched) and `linear` (x·Wᵀ + b, the layer's fused form).

extension Tensor {
    /// Matrix product over the last two axes: [..., M, K] · [K, N] or [..., M, K] · [..., K, N]
    /// (same leading axes). Backward: dA = G·Bᵀ, dB = Aᵀ·G (summed over the batch when B is shared).
    /// Reference twin: `Reference.matmulForward`/`matmulBackward`.
    public func matmul(_ b: Tensor) -> Tensor {
        let a = self
        precondition(a.rank >= 2 && b.rank >= 2, "matmul needs rank ≥ 2, got \(a.shape) and \(b.shape)")
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1]
        let k2 = b.shape[b.rank - 2], n = b.shape[b.rank - 1]
        precondition(k == k2, "matmul inner sizes differ: \(a.shape) · \(b.shape)")
        let batchShape = Array(a.shape.dropLast(2))
        let batch = batchShape.reduce(1, *)
        let shared = b.rank == 2
        if !shared {
            precondition(Array(b.shape.dropLast(2)) == batchShape,
                         "matmul batch axes differ: \(a.shape) · \(b.shape)")
        }
        if Engine.useReference {
            return Reference.matmulOp(a, b, outShape: batchShape + [m, n], batch: batch, m: m, k: k, n: n, sharedB: shared)
        }
        let out = Tensor.empty(batchShape + [m, n])
        if shared {
            // One tall product: all batch rows of A against the same B.
            Gemm.multiply(transA: false, transB: false, m: batch * m, n: n, k: k, a: a.data, lda: k,
                          b: b.data, ldb: n, c: out.mutableData, ldc: n, accumulate: false)
        } else {
            batchedGemm(batch, transA: false, transB: false, m: m, n: n, k: k, a: a.data, strideA: m * k,
                        b: b.data, strideB: k * n, c: out.mutableData, accumulate: false)
        }
        return Tensor.record(out, [a, b]) { g in
            var da: Tensor? = nil, db: Tensor? = nil
            if a.requiresGrad {
                let t = Tensor.empty(a.shape)
                if shared {
                    Gemm.multiply(transA: false, transB: true, m: batch * m, n: k, k: n, a: g.data, lda: n,
                                  b: b.data, ldb: n, c: t.mutableData, ldc: k, accumulate: false)
                } else {
                    batchedGemm(batch, transA: false, transB: true, m: m, n: k, k: n, a: g.data, strideA: m * n,
                                b: b.data, strideB: k * n, c: t.mutableData, accumulate: false)
                }
                da = t
            }
            if b.requiresGrad {
                let t = Tensor.empty(b.shape)
                if shared {
                    Gemm.multiply(transA: true, transB: false, m: k, n: n, k: batch * m, a: a.data, lda: k,
                                  b: g.data, ldb: n, c: t.mutableData, ldc: n, accumulate: false)
                } else {
                    batchedGemm(batch, transA: true, transB: false, m: k, n: n, k: m, a: a.data, strideA: m * k,
                                b: g.data, strideB: m * n, c: t.mutableData, accumulate: false)
                }
                db = t
            }
            return [da, db]
        }
    }
}

/// y = x·Wᵀ + b for x [..., in], W [out, in] (PyTorch's layout), b [out] or nil.
/// Backward: dx = G·W, dW = Gᵀ·x, db = Σ_rows G. Reference twin: `Reference.linearForward`/`linearBackward`.
public func linear(_ x: Tensor, _ w: Tensor, _ b: Tensor?) -> Tensor {
    let inF = w.shape[1], outF = w.shape[0]
    precondition(w.rank == 2 && x.shape.last == inF,
                 "linear: input \(x.shape) does not end in \(inF) (weight \(w.shape))")
    if let b { precondition(b.shape == [outF], "linear: bias \(b.shape), expected [\(outF)]") }
    let rows = x.count / inF
    if Engine.useReference { return Reference.linearOp(x, w, b, rows: rows) }
    let out = Tensor.empty(Array(x.shape.dropLast()) + [outF])
    // C starts as the bias in every row and the products are added onto it; the GEMM takes the
    // bias row itself, so C is not filled in a pass of its own first.
    Gemm.multiply(transA: false, transB: true, m: rows, n: outF, k: inF, a: x.data, lda: inF,
                  b: w.data, ldb: inF, c: out.mutableData, ldc: outF, accumulate: false, rowBias: b?.data)
    let inputs = b.map { [x, w, $0] } ?? [x, w]
    return Tensor.record(out, inputs) { g in
        var grads: [Tensor?] = [nil, nil, nil]
        if x.requiresGrad {
            let dx = Tensor.empty(x.shape)
            Gemm.multiply(transA: false, transB: false, m: rows, n: inF, k: outF, a: g.data, lda: outF,
                          b: w.data, ldb: inF, c: dx.mutableData, ldc: inF, accumulate: false)
            grads[0] = dx
        }
        if w.requiresGrad {
            let dw = Tensor.empty(w.shape)
            Gemm.multiply(transA: true, transB: false, m: outF, n: inF, k: rows, a: g.data, lda: outF,
                          b: x.data, ldb: inF, c: dw.mutableData, ldc: inF, accumulate: false)
            grads[1] = dw
        }
        if let b, b.requiresGrad {
            grads[2] = columnSums(g.data, rows: rows, cols: outF, shape: b.shape)
        }
        return Array(grads.prefix(inputs.count))
    }
}

/// Σ over rows of a [rows, cols] buffer, split over columns so the row order is fixed.
func columnSums(_ p: UnsafePointer<Float>, rows: Int, cols: Int, shape: [Int]) -> Tensor {
    let out = Tensor.zeros(shape)
    let o = out.mutableData
    Parallel.forRanges(cols, minChunk: 64) { cr in
        for r in 0..<rows {
            let row = p + r * cols
            for c in cr { o[c] += row[c] }
        }
    }
    return out
}
