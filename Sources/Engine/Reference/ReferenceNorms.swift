extension Reference {
    /// Layer norm over the last axis of x [rows, c]: each row minus its mean, times its rstd =
    /// 1/√(variance + eps) (the biased variance, as PyTorch), then ·weight + bias (both [c], or
    /// nil for 1 and 0). Returns the output and the per-row mean and rstd the backward needs.
    /// Fast twin: `Tensor.layerNorm` (16-lane sums, `LaneSums.swift`).
    public static func layerNormForward(_ x: [Float], weight: [Float]?, bias: [Float]?, rows: Int, c: Int,
                                        eps: Float = 1e-5) -> (out: [Float], mean: [Float], rstd: [Float]) {
        var out = [Float](repeating: 0, count: rows * c)
        var mean = [Float](repeating: 0, count: rows), rstd = mean
        for r in 0..<rows {
            let (m, rs) = meanAndRstd(x, start: r * c, count: c, eps: eps)
            for j in 0..<c {
                let norm = (Double(x[r * c + j]) - m) * rs
                out[r * c + j] = Float(norm * Double(weight?[j] ?? 1) + Double(bias?[j] ?? 0))
            }
            mean[r] = Float(m); rstd[r] = Float(rs)
        }
        return (out, mean, rstd)
    }

    /// Backward of layer norm. With n = (x − mean)·rstd and dn = dout·weight, per row:
    /// dx = rstd·(dn − mean(dn) − n·mean(dn·n)); and over rows dweight = Σ dout·n, dbias = Σ dout.
    /// (The two means are what the row's mean and variance pass back to every entry.)
    public static func layerNormBackward(_ dout: [Float], _ x: [Float], weight: [Float]?, mean: [Float], rstd: [Float],
                                         rows: Int, c: Int) -> (dx: [Float], dweight: [Float], dbias: [Float]) {
        var dx = [Float](repeating: 0, count: rows * c)
        var dw = [Double](repeating: 0, count: c), db = dw
        for r in 0..<rows {
            let m = Double(mean[r]), rs = Double(rstd[r])
            var dnMean = 0.0, dnNormMean = 0.0
            for j in 0..<c {
                let norm = (Double(x[r * c + j]) - m) * rs, dn = Double(dout[r * c + j]) * Double(weight?[j] ?? 1)
                dnMean += dn / Double(c)
                dnNormMean += dn * norm / Double(c)
                dw[j] += Double(dout[r * c + j]) * norm
                db[j] += Double(dout[r * c + j])
            }
            for j in 0..<c {
                let norm = (Double(x[r * c + j]) - m) * rs, dn = Double(dout[r * c + j]) * Double(weight?[j] ?? 1)
                dx[r * c + j] = Float(rs * (dn - dnMean - norm * dnNormMean))
            }
        }
        return (dx, dw.map { Float($0) }, db.map { Float($0) })
    }

    /// Group norm on x [n, c, hw] (hw = pixels per channel, 1 for [n, c]): the c channels split
    /// into `groups` runs of c/groups, and each sample's group is normalised over all its
    /// channels and pixels like one layer-norm row; then a per-channel ·weight + bias ([c]).
    /// Returns the output and the mean and rstd per (sample, group), [n, groups].
    /// Fast twin: `Tensor.groupNorm`.
    public static func groupNormForward(_ x: [Float], weight: [Float]?, bias: [Float]?, n: Int, c: Int, hw: Int,
                                        groups: Int, eps: Float = 1e-5) -> (out: [Float], mean: [Float], rstd: [Float]) {
        let perGroup = c / groups * hw  // a group's channels are adjacent, so its values are one run
        var out = [Float](repeating: 0, count: n * c * hw)
        var mean = [Float](repeating: 0, count: n * groups), rstd = mean
        for s in 0..<n {
            for g in 0..<groups {
                let start = (s * groups + g) * perGroup
                let (m, rs) = meanAndRstd(x, start: start, count: perGroup, eps: eps)
                for e in 0..<perGroup {
                    let ch = g * (c / groups) + e / hw
                    let norm = (Double(x[start + e]) - m) * rs
                    out[start + e] = Float(norm * Double(weight?[ch] ?? 1) + Double(bias?[ch] ?? 0))
                }
                mean[s * groups + g] = Float(m); rstd[s * groups + g] = Float(rs)
            }
        }
        return (out, mean, rstd)
    }

    /// Backward of group norm: layer norm's rule on each (sample, group) run, with each entry's
    /// weight its channel's; dweight and dbias sum over samples and pixels per channel.
    public static func groupNormBackward(_ dout: [Float], _ x: [Float], weight: [Float]?, mean: [Float], rstd: [Float],
                                         n: Int, c: Int, hw: Int, groups: Int) -> (dx: [Float], dweight: [Float], dbias: [Float]) {
        let perGroup = c / groups * hw
        var dx = [Float](repeating: 0, count: n * c * hw)
        var dw = [Double](repeating: 0, count: c), db = dw
        for s in 0..<n {
            for g in 0..<groups {
                let start = (s * groups + g) * perGroup
                let m = Double(mean[s * groups + g]), rs = Double(rstd[s * groups + g])
                var dnMean = 0.0, dnNormMean = 0.0
                for e in 0..<perGroup {
                    let ch = g * (c / groups) + e / hw
                    let norm = (Double(x[start + e]) - m) * rs, dn = Double(dout[start + e]) * Double(weight?[ch] ?? 1)
                    dnMean += dn / Double(perGroup)
                    dnNormMean += dn * norm / Double(perGroup)
                    dw[ch] += Double(dout[start + e]) * norm
                    db[ch] += Double(dout[start + e])
                }
                for e in 0..<perGroup {
                    let ch = g * (c / groups) + e / hw
                    let norm = (Double(x[start + e]) - m) * rs, dn = Double(dout[start + e]) * Double(weight?[ch] ?? 1)
                    dx[start + e] = Float(rs * (dn - dnMean - norm * dnNormMean))
                }
            }
        }
        return (dx, dw.map { Float($0) }, db.map { Float($0) })
    }

    /// The mean and 1/√(biased variance + eps) of `count` values of x from `start`, in Double.
    static func meanAndRstd(_ x: [Float], start: Int, count: Int, eps: Float) -> (mean: Double, rstd: Double) {
        var sum = 0.0
        for e in 0..<count { sum += Double(x[start + e]) }
        let m = sum / Double(count)
        var squares = 0.0
        for e in 0..<count { squares += (Double(x[start + e]) - m) * (Double(x[start + e]) - m) }
        return (m, 1 / (squares / Double(count) + Double(eps)).squareRoot())
    }
}
