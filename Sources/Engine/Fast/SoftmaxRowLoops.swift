// The row loops of softmax, log-softmax, cross-entropy and the attention weights, over
// `softmaxRow` and its helpers (SoftmaxRows.swift). Split over rows: each row is one task's,
// so the bits never depend on the thread count.

/// Rows per task: enough that a task has about 4096 entries.
@inline(__always)
func softmaxMinChunk(_ n: Int) -> Int { Swift.max(1, 4096 / Swift.max(n, 1)) }

/// Row-wise softmax of a [rows, n] buffer. Reference twin: `Reference.softmaxForward`.
func softmaxForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, n: Int) {
    Parallel.forRanges(rows, minChunk: softmaxMinChunk(n)) { r in
        for row in r { softmaxRow(x + row * n, y + row * n, n) }
    }
}

/// Backward of softmax: dx = y ⊙ (g − Σ g⊙y) per row. Reference twin: `Reference.softmaxBackward`.
func softmaxBackward(_ y: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, rows: Int, n: Int) {
    Parallel.forRanges(rows, minChunk: softmaxMinChunk(n)) { r in
        for row in r { softmaxBackwardRow(y + row * n, g + row * n, dx + row * n, n) }
    }
}

/// log-softmax of a [rows, n] buffer: y = x − max − log Σ e^(x − max). Reference twin:
/// `Reference.logSoftmaxForward`.
func logSoftmaxForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, n: Int) {
    Parallel.forRanges(rows, minChunk: softmaxMinChunk(n)) { r in
        for row in r {
            let xi = x + row * n, yi = y + row * n
            // The exponentials go to y as scratch; y is then overwritten with x − lse.
            let m = scaledRowMax(xi, n, scale: 1)
            let lse = m + logf(exponentiateRow(xi, yi, n, scale: 1, shift: m))
            for j in 0..<n { yi[j] = xi[j] - lse }
        }
    }
}

/// Backward of log-softmax from its output y: dx = g − e^y · Σ g per row. Reference twin:
/// `Reference.logSoftmaxBackward`.
func logSoftmaxBackward(_ yp: UnsafePointer<Float>, _ gp: UnsafePointer<Float>, _ dp: UnsafeMutablePointer<Float>,
                        rows: Int, n: Int) {
    Parallel.forRanges(rows, minChunk: softmaxMinChunk(n)) { r in
        for row in r {
            let gi = gp + row * n, yi = yp + row * n, di = dp + row * n
            var s: Float = 0
            for j in 0..<n { s += gi[j] }
            // e^y (the softmax) is written into dx first.
            _ = exponentiateRow(yi, di, n, scale: 1, shift: 0)
            for j in 0..<n { di[j] = gi[j] - di[j] * s }
        }
    }
}

/// Softmax of each row of logits [rows, c] into p, and each row's log Σ e^x into `lse`, from
/// which the row's cross-entropy follows (more accurate than log of a tiny probability).
/// Reference twin: `Reference.crossEntropyForward`.
func softmaxWithLogSumExp(_ x: UnsafePointer<Float>, _ p: UnsafeMutablePointer<Float>, rows: Int, c: Int,
                          lse l: UnsafeMutablePointer<Float>) {
    Parallel.forRanges(rows, minChunk: softmaxMinChunk(c)) { r in
        for row in r {
            let (m, s) = softmaxRow(x + row * c, p + row * c, c)
            l[row] = m + logf(s)
        }
    }
}

/// Softmax of scale·x over each row of a [·, n] block of attention scores, in place allowed
/// (x == y). With `causal`, row r sees keys 0...r mod n; the rest get weight 0 and are never
/// exponentiated (the same bits as filling them with −∞ first: see SoftmaxRows.swift).
/// Reference twin: `Reference.softmaxForward` on scale·x with the hidden entries at −∞.
func attentionSoftmaxRows(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Range<Int>,
                          n: Int, scale: Float, causal: Bool) {
    for row in rows {
        let visible = causal ? row % n + 1 : n
        softmaxRow(x + row * n, y + row * n, visible, scale: scale)
        (y + row * n + visible).update(repeating: 0, count: n - visible)
    }
}

/// Backward of `attentionSoftmaxRows`: dx = y ⊙ (g − Σ g⊙y) · scale per row, 0 where hidden.
/// In place allowed (g == dx). Reference twin: `Reference.softmaxBackward`, times scale.
func attentionSoftmaxBackwardRows(_ y: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                                  rows: Range<Int>, n: Int, scale: Float, causal: Bool) {
    for row in rows {
        let visible = causal ? row % n + 1 : n
        softmaxBackwardRow(y + row * n, g + row * n, dx + row * n, visible, scale: scale)
        (dx + row * n + visible).update(repeating: 0, count: n - visible)
    }
}

/// Causal softmax of scale·x over all rows of a [·, T, T] buffer (`attentionSoftmaxRows`, split
/// over rows). Reference twin: `Reference.softmaxForward` with the hidden entries at −∞.
func causalSoftmaxForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, n: Int, scale: Float) {
    Parallel.forRanges(rows, minChunk: softmaxMinChunk(n)) { r in
        attentionSoftmaxRows(x, y, rows: r, n: n, scale: scale, causal: true)
    }
}

/// Backward of `causalSoftmaxForward`. Reference twin: `Reference.softmaxBackward`, times scale.
func causalSoftmaxBackward(_ y: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                           rows: Int, n: Int, scale: Float) {
    Parallel.forRanges(rows, minChunk: softmaxMinChunk(n)) { r in
        attentionSoftmaxBackwardRows(y, g, dx, rows: r, n: n, scale: scale, causal: true)
    }
}
