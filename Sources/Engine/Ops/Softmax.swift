/// Softmax, log-softmax and cross-entropy over the last axis, all by the log-sum-exp trick:
/// subtracting the row maximum before exponentiating keeps every eˣ in (0, 1].

extension Tensor {
    /// Softmax over the last axis. Reference twin: `Reference.softmaxForward`/`softmaxBackward`.
    public func softmax() -> Tensor {
        if Engine.useReference { return Reference.softmaxOp(self, scale: 1, causal: false) }
        let n = shape.last ?? 1, rows = count / Swift.max(n, 1)
        let out = Tensor.empty(shape)
        softmaxForward(data, out.mutableData, rows: rows, n: n)
        let saved = out.detach()
        return Tensor.record(out, [self]) { g in
            let dx = Tensor.empty(saved.shape)
            softmaxBackward(saved.data, g.mutableData, dx.mutableData, rows: rows, n: n)
            return [dx]
        }
    }

    /// Causal attention weights in one pass: softmax over the last axis of scale·x where key j
    /// is visible to query i only when j ≤ i, for x [..., T, T]. The same bits as
    /// `scaled(scale).maskedFill(causalMask, −∞).softmax()`, without the three intermediate
    /// tensors, the broadcast mask, or exponentials of the hidden entries (which are 0).
    /// Backward: dx = scale · y ⊙ (g − Σ g⊙y), 0 where hidden. Reference twin: `Reference.softmaxForward`
    /// on scale·x with the hidden entries set to −∞.
    public func causalSoftmax(scale: Float) -> Tensor {
        precondition(rank >= 2 && shape[rank - 1] == shape[rank - 2],
                     "causalSoftmax needs [..., T, T], got \(shape)")
        if Engine.useReference { return Reference.softmaxOp(self, scale: scale, causal: true) }
        let n = shape[rank - 1], rows = count / Swift.max(n, 1)
        let out = Tensor.empty(shape)
        causalSoftmaxForward(data, out.mutableData, rows: rows, n: n, scale: scale)
        let saved = out.detach()
        return Tensor.record(out, [self]) { g in
            let dx = Tensor.empty(saved.shape)
            causalSoftmaxBackward(saved.data, g.mutableData, dx.mutableData, rows: rows, n: n, scale: scale)
            return [dx]
        }
    }

    /// log(softmax(x)) over the last axis, computed as x − max − log Σ e^(x − max).
    /// Backward: dx = g − softmax · Σ g. Reference twin: `Reference.logSoftmaxForward`/`logSoftmaxBackward`.
    public func logSoftmax() -> Tensor {
        if Engine.useReference { return Reference.logSoftmaxOp(self) }
        let n = shape.last ?? 1, rows = count / Swift.max(n, 1)
        let out = Tensor.empty(shape)
        logSoftmaxForward(data, out.mutableData, rows: rows, n: n)
        let saved = out.detach()
        return Tensor.record(out, [self]) { g in
            let dx = Tensor.empty(saved.shape)
            logSoftmaxBackward(saved.data, g.mutableData, dx.mutableData, rows: rows, n: n)
            return [dx]
        }
    }
}

/// Mean cross-entropy between `logits` [..., C] and integer class `targets` (one per row).
///
/// Rows whose target equals `ignoreIndex` contribute nothing and are not counted in the mean
/// (how padding is skipped). Fused: the softmax is computed once and reused by the backward,
/// whose rule is (softmax − onehot) / count. Reference twin: `Reference.crossEntropyForward`/`Backward`.
public func crossEntropy(_ logits: Tensor, _ targets: [Int], ignoreIndex: Int? = nil) -> Tensor {
    let c = logits.shape.last ?? 1, rows = logits.count / Swift.max(c, 1)
    precondition(targets.count == rows, "crossEntropy: \(targets.count) targets for \(rows) rows of logits \(logits.shape)")
    for t in targets where t != ignoreIndex {
        precondition(t >= 0 && t < c, "crossEntropy: target \(t) outside 0..<\(c)")
    }
    if Engine.useReference { return Reference.crossEntropyOp(logits, targets, ignoreIndex: ignoreIndex) }
    let probs = Tensor.empty(logits.shape)
    // Each row's log Σ e^x, from which its loss follows.
    var lse = [Float](repeating: 0, count: rows)
    let x = logits.data
    lse.withUnsafeMutableBufferPointer { l in
        softmaxWithLogSumExp(x, probs.mutableData, rows: rows, c: c, lse: l.baseAddress!)
    }
    // The mean over rows in row order, in Double.
    var total: Double = 0
    var counted = 0
    for r in 0..<rows where targets[r] != ignoreIndex {
        total += Double(lse[r] - x[r * c + targets[r]])
        counted += 1
    }
    let out = Tensor(scalar: counted > 0 ? Float(total / Double(counted)) : 0)
    return Tensor.record(out, [logits]) { g in
        let dx = Tensor.zeros(logits.shape)
        guard counted > 0 else { return [dx] }
        let scale = g.item() / Float(counted)
        let p = probs.data, d = dx.mutableData
        for r in 0..<rows where targets[r] != ignoreIndex {
            for j in 0..<c { d[r * c + j] = p[r * c + j] * scale }
            d[r * c + targets[r]] -= scale
        }
        return [dx]
    }
}

/// Mean squared error, mean((a − b)²). Backward: 2(a − b)/n to a and the negative to b.
public func mseLoss(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.shape == b.shape, "mseLoss: shapes \(a.shape) and \(b.shape) differ")
    let n = a.count
    var s: Double = 0
    for i in 0..<n { let d = Double(a.data[i] - b.data[i]); s += d * d }
    let out = Tensor(scalar: Float(s / Double(n)))
    return Tensor.record(out, [a, b]) { g in
        let k = 2 * g.item() / Float(n)
        let diff = mapBinary(a, b) { ($0 - $1) * k }
        return [a.requiresGrad ? diff : nil, b.requiresGrad ? diff.scaled(-1) : nil]
    }
}
