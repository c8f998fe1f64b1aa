// The reference twins as differentiable ops: what the public ops in `Ops/` run when
// `Engine.useReference` is on. Each wraps a forward of this folder and records its backward,
// so a whole chapter trains on the plain loops. The callers have validated the shapes.

extension Reference {
    /// `Tensor.matmul` on the reference path: a [batch·M, K] rows, b [K, N] shared or [batch, K, N].
    static func matmulOp(_ a: Tensor, _ b: Tensor, outShape: [Int], batch: Int, m: Int, k: Int, n: Int,
                         sharedB: Bool) -> Tensor {
        let av = a.values, bv = b.values
        let out = Tensor(shape: outShape, values: matmulForward(av, bv, batch: batch, m: m, k: k, n: n, sharedB: sharedB))
        return Tensor.record(out, [a, b]) { g in
            let (da, db) = matmulBackward(g.values, av, bv, batch: batch, m: m, k: k, n: n, sharedB: sharedB)
            return [a.requiresGrad ? Tensor(shape: a.shape, values: da) : nil,
                    b.requiresGrad ? Tensor(shape: b.shape, values: db) : nil]
        }
    }

    /// `linear` on the reference path: x [rows, in], w [out, in], b [out] or nil.
    static func linearOp(_ x: Tensor, _ w: Tensor, _ b: Tensor?, rows: Int) -> Tensor {
        let inF = w.shape[1], outF = w.shape[0], xv = x.values, wv = w.values
        let y = linearForward(xv, wv, b?.values, rows: rows, inFeatures: inF, outFeatures: outF)
        let inputs = b.map { [x, w, $0] } ?? [x, w]
        return Tensor.record(Tensor(shape: Array(x.shape.dropLast()) + [outF], values: y), inputs) { g in
            let (dx, dw, db) = linearBackward(g.values, xv, wv, rows: rows, inFeatures: inF, outFeatures: outF)
            let grads = [Tensor(shape: x.shape, values: dx), Tensor(shape: w.shape, values: dw), Tensor(shape: [outF], values: db)]
            return Array(grads.prefix(inputs.count))
        }
    }

    /// `Tensor.softmax` (scale 1, nothing hidden) and `causalSoftmax` on the reference path:
    /// softmax of scale·x per row, with key j hidden from query i (set to −∞) when causal and j > i.
    static func softmaxOp(_ x: Tensor, scale: Float, causal: Bool) -> Tensor {
        let n = x.shape.last ?? 1, rows = x.count / Swift.max(n, 1)
        var scaled = x.values
        for r in 0..<rows {
            for j in 0..<n { scaled[r * n + j] = causal && j > r % n ? -.infinity : scaled[r * n + j] * scale }
        }
        let y = softmaxForward(scaled, rows: rows, n: n)
        return Tensor.record(Tensor(shape: x.shape, values: y), [x]) { g in
            // Hidden entries have y = 0, so they get no gradient.
            [Tensor(shape: x.shape, values: softmaxBackward(g.values, y, rows: rows, n: n).map { $0 * scale })]
        }
    }

    /// `Tensor.logSoftmax` on the reference path.
    static func logSoftmaxOp(_ x: Tensor) -> Tensor {
        let n = x.shape.last ?? 1, rows = x.count / Swift.max(n, 1)
        let y = logSoftmaxForward(x.values, rows: rows, n: n)
        return Tensor.record(Tensor(shape: x.shape, values: y), [x]) { g in
            [Tensor(shape: x.shape, values: logSoftmaxBackward(g.values, y, rows: rows, n: n))]
        }
    }

    /// `crossEntropy` on the reference path (targets already checked).
    static func crossEntropyOp(_ logits: Tensor, _ targets: [Int], ignoreIndex: Int?) -> Tensor {
        let c = logits.shape.last ?? 1, rows = logits.count / Swift.max(c, 1)
        let (loss, probs) = crossEntropyForward(logits.values, targets: targets, rows: rows, c: c, ignoreIndex: ignoreIndex)
        return Tensor.record(Tensor(scalar: loss), [logits]) { g in
            [Tensor(shape: logits.shape, values: crossEntropyBackward(g.item(), probs: probs, targets: targets,
                                                                      rows: rows, c: c, ignoreIndex: ignoreIndex))]
        }
    }

    /// `Tensor.layerNorm` on the reference path.
    static func layerNormOp(_ x: Tensor, weight: Tensor?, bias: Tensor?, eps: Float) -> Tensor {
        let c = x.shape.last ?? 1, rows = x.count / Swift.max(c, 1), xv = x.values, wv = weight?.values
        let (y, mean, rstd) = layerNormForward(xv, weight: wv, bias: bias?.values, rows: rows, c: c, eps: eps)
        let inputs = [x] + [weight, bias].compactMap { $0 }
        return Tensor.record(Tensor(shape: x.shape, values: y), inputs) { g in
            let (dx, dw, db) = layerNormBackward(g.values, xv, weight: wv, mean: mean, rstd: rstd, rows: rows, c: c)
            return affineGrads(x, dx, weight, dw, bias, db)
        }
    }

    /// `Tensor.groupNorm` on the reference path: x [N, C, ...] with C divisible by `groups`.
    static func groupNormOp(_ x: Tensor, groups: Int, weight: Tensor?, bias: Tensor?, eps: Float) -> Tensor {
        let n = x.shape[0], c = x.shape[1], hw = x.count / Swift.max(1, n * c), xv = x.values, wv = weight?.values
        let (y, mean, rstd) = groupNormForward(xv, weight: wv, bias: bias?.values, n: n, c: c, hw: hw,
                                               groups: groups, eps: eps)
        let inputs = [x] + [weight, bias].compactMap { $0 }
        return Tensor.record(Tensor(shape: x.shape, values: y), inputs) { g in
            let (dx, dw, db) = groupNormBackward(g.values, xv, weight: wv, mean: mean, rstd: rstd,
                                                 n: n, c: c, hw: hw, groups: groups)
            return affineGrads(x, dx, weight, dw, bias, db)
        }
    }

    /// A norm's gradients in its inputs' order: x, then weight and bias where present.
    private static func affineGrads(_ x: Tensor, _ dx: [Float], _ weight: Tensor?, _ dw: [Float],
                                    _ bias: Tensor?, _ db: [Float]) -> [Tensor?] {
        var grads: [Tensor?] = [Tensor(shape: x.shape, values: dx)]
        if let weight { grads.append(Tensor(shape: weight.shape, values: dw)) }
        if let bias { grads.append(Tensor(shape: bias.shape, values: db)) }
        return grads
    }

    /// `Tensor.gelu` (or `silu` when `silu`) on the reference path.
    static func activationOp(_ x: Tensor, silu: Bool) -> Tensor {
        let xv = x.values
        let y = silu ? siluForward(xv) : geluForward(xv)
        return Tensor.record(Tensor(shape: x.shape, values: y), [x]) { g in
            [Tensor(shape: x.shape, values: silu ? siluBackward(g.values, xv) : geluBackward(g.values, xv))]
        }
    }

    /// `conv2d` on the reference path (geometry already validated).
    static func conv2dOp(_ x: Tensor, _ w: Tensor, _ b: Tensor?, _ s: ConvShape) -> Tensor {
        let xv = x.values, wv = w.values
        let out = Tensor(shape: [s.n, s.cout, s.ho, s.wo], values: conv2dForward(xv, wv, b?.values, s))
        let inputs = b.map { [x, w, $0] } ?? [x, w]
        return Tensor.record(out, inputs) { g in
            let (dx, dw, db) = conv2dBackward(g.values, xv, wv, s)
            let grads = [Tensor(shape: x.shape, values: dx), Tensor(shape: w.shape, values: dw), Tensor(shape: [s.cout], values: db)]
            return Array(grads.prefix(inputs.count))
        }
    }

    /// `Tensor.fusedSelfAttention` on the reference path: qkv [B, T, 3C] → ([B, T, C], weights).
    static func attentionOp(_ qkv: Tensor, _ a: AttentionShape) -> (output: Tensor, weights: Tensor) {
        let qv = qkv.values
        let (y, p) = attentionForward(qv, a)
        let weights = Tensor(shape: [a.batch, a.heads, a.t, a.t], values: p)
        let out = Tensor.record(Tensor(shape: [a.batch, a.t, a.c], values: y), [qkv]) { g in
            [Tensor(shape: qkv.shape, values: attentionBackward(g.values, qv, weights: p, a))]
        }
        return (out, weights)
    }
}
