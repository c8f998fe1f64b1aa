#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Softmax, log-softmax and cross-entropy over the last axis, all by the log-sum-exp trick:
/// subtracting the row maximum before exponentiating keeps every eˣ in (0, 1].

/// Row-wise softmax of a [rows, n] buffer (`softmaxRow` per row).
func softmaxForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, n: Int) {
    Parallel.forRanges(rows, minChunk: Swift.max(1, 4096 / Swift.max(n, 1))) { r in
        for row in r { softmaxRow(x + row * n, y + row * n, n) }
    }
}

/// Backward of softmax: dx = y ⊙ (g − Σ g⊙y) per row.
func softmaxBackward(_ y: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, rows: Int, n: Int) {
    Parallel.forRanges(rows, minChunk: Swift.max(1, 4096 / Swift.max(n, 1))) { r in
        for row in r { softmaxBackwardRow(y + row * n, g + row * n, dx + row * n, n) }
    }
}

extension Tensor {
    /// Softmax over the last axis. Reference twin: `Reference.softmaxForward`/`softmaxBackward`.
    public func softmax() -> Tensor {
        let n = shape.last ?? 1, rows = count / Swift.max(n, 1)
        let out = Tensor.empty(shape)
        softmaxForward(data, out.data, rows: rows, n: n)
        let saved = out.detach()
        return Tensor.record(out, [self]) { g in
            let dx = Tensor.empty(saved.shape)
            softmaxBackward(saved.data, g.data, dx.data, rows: rows, n: n)
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
        let n = shape[rank - 1], rows = count / Swift.max(n, 1)
        let out = Tensor.empty(shape)
        let x = data, y = out.data
        Parallel.forRanges(rows, minChunk: Swift.max(1, 4096 / Swift.max(n, 1))) { r in
            attentionSoftmaxRows(x, y, rows: r, n: n, scale: scale, causal: true)
        }
        let saved = out.detach()
        return Tensor.record(out, [self]) { g in
            let dx = Tensor.empty(saved.shape)
            let yp = saved.data, gp = g.data, dp = dx.data
            Parallel.forRanges(rows, minChunk: Swift.max(1, 4096 / Swift.max(n, 1))) { r in
                attentionSoftmaxBackwardRows(yp, gp, dp, rows: r, n: n, scale: scale, causal: true)
            }
            return [dx]
        }
    }

    /// log(softmax(x)) over the last axis, computed as x − max − log Σ e^(x − max).
    /// Backward: dx = g − softmax · Σ g. Reference twin: `Reference.logSoftmaxForward`/`logSoftmaxBackward`.
    public func logSoftmax() -> Tensor {
        let n = shape.last ?? 1, rows = count / Swift.max(n, 1)
        let out = Tensor.empty(shape)
        let x = data, y = out.data
        Parallel.forRanges(rows, minChunk: Swift.max(1, 4096 / Swift.max(n, 1))) { r in
            for row in r {
                let xi = x + row * n, yi = y + row * n
                // The exponentials go to y as scratch; y is then overwritten with x − lse.
                let m = scaledRowMax(xi, n, scale: 1)
                let lse = m + logf(exponentiateRow(xi, yi, n, scale: 1, shift: m))
                for j in 0..<n { yi[j] = xi[j] - lse }
            }
        }
        let saved = out.detach()
        return Tensor.record(out, [self]) { g in
            let dx = Tensor.empty(saved.shape)
            let gp = g.data, yp = saved.data, dp = dx.data
            Parallel.forRanges(rows, minChunk: Swift.max(1, 4096 / Swift.max(n, 1))) { r in
                for row in r {
                    let gi = gp + row * n, yi = yp + row * n, di = dp + row * n
                    var s: Float = 0
                    for j in 0..<n { s += gi[j] }
                    // dx = g − e^y · Σ g, with e^y (the softmax) written into dx first.
                    _ = exponentiateRow(yi, di, n, scale: 1, shift: 0)
                    for j in 0..<n { di[j] = gi[j] - di[j] * s }
                }
            }
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
    let probs = Tensor.empty(logits.shape)
    // One pass per row gives the probabilities and log Σ e^x, from which the row's loss follows
    // (more accurate than log of the probability for tiny p).
    var lse = [Float](repeating: 0, count: rows)
    let x = logits.data, p = probs.data
    lse.withUnsafeMutableBufferPointer { l in
        Parallel.forRanges(rows, minChunk: Swift.max(1, 4096 / Swift.max(c, 1))) { r in
            for row in r {
                let (m, s) = softmaxRow(x + row * c, p + row * c, c)
                l[row] = m + logf(s)
            }
        }
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
        let p = probs.data, d = dx.data
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
