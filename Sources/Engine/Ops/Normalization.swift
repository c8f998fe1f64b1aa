/// Layer norm and group norm, forward and backward (the loops are in Fast/NormLanes.swift).

extension Tensor {
    /// Normalises each row over the last axis to zero mean and unit variance, then scales by
    /// `weight` and shifts by `bias` (both [C]). Variance is the biased one, as in PyTorch.
    /// Backward, with n = x̂ and dn = g·w: dx = rstd·(dn − mean(dn) − n·mean(dn·n)),
    /// dw = Σ_rows g·n, db = Σ_rows g. Reference twin: `Reference.layerNormForward`/`layerNormBackward`.
    public func layerNorm(weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) -> Tensor {
        if Engine.useReference { return Reference.layerNormOp(self, weight: weight, bias: bias, eps: eps) }
        let c = shape.last ?? 1, rows = count / Swift.max(c, 1)
        let out = Tensor.empty(shape)
        // Each row's mean and 1/std, kept for the backward.
        var mean = [Float](repeating: 0, count: rows), rstd = [Float](repeating: 0, count: rows)
        let x = data, w = weight?.data, b = bias?.data
        mean.withUnsafeMutableBufferPointer { mp in
            rstd.withUnsafeMutableBufferPointer { rp in
                layerNormForwardLanes(x, out.mutableData, weight: w, bias: b, rows: rows, c: c, eps: eps,
                                      mean: mp.baseAddress!, rstd: rp.baseAddress!)
            }
        }
        let inputs = [self] + [weight, bias].compactMap { $0 }
        return Tensor.record(out, inputs) { g in
            let dx = Tensor.empty(self.shape)
            let dw = weight.map { Tensor.zeros($0.shape) }, db = bias.map { Tensor.zeros($0.shape) }
            layerNormBackwardLanes(x, g.data, weight: w, mean: mean, rstd: rstd, rows: rows, c: c,
                                   dx: dx.mutableData, dw: dw?.mutableData, db: db?.mutableData)
            var grads: [Tensor?] = [dx]
            if weight != nil { grads.append(dw) }
            if bias != nil { grads.append(db) }
            return grads
        }
    }

    /// Group norm on [N, C, H, W] (or [N, C]): channels split into `groups`, each group of each
    /// sample normalised over its channels and pixels, then a per-channel affine.
    /// Reference twin: `Reference.groupNormForward`/`groupNormBackward`.
    public func groupNorm(groups: Int, weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) -> Tensor {
        precondition(rank >= 2, "groupNorm needs [N, C, ...], got \(shape)")
        let n = shape[0], c = shape[1], hw = count / Swift.max(1, n * c)
        precondition(groups > 0 && c % groups == 0, "groupNorm: \(c) channels do not split into \(groups) groups")
        if Engine.useReference {
            return Reference.groupNormOp(self, groups: groups, weight: weight, bias: bias, eps: eps)
        }
        let out = Tensor.empty(shape)
        let x = data, w = weight?.data, b = bias?.data
        // Each (sample, group)'s mean and 1/std, kept for the backward.
        var mean = [Float](repeating: 0, count: n * groups), rstd = mean
        mean.withUnsafeMutableBufferPointer { mp in
            rstd.withUnsafeMutableBufferPointer { rp in
                groupNormForwardLanes(x, out.mutableData, weight: w, bias: b, n: n, groups: groups, cg: c / groups,
                                      hw: hw, eps: eps, mean: mp.baseAddress!, rstd: rp.baseAddress!)
            }
        }
        let inputs = [self] + [weight, bias].compactMap { $0 }
        return Tensor.record(out, inputs) { gr in
            let dx = Tensor.empty(self.shape)
            let affine = weight != nil || bias != nil
            let dwt = affine ? Tensor.zeros([c]) : nil, dbt = affine ? Tensor.zeros([c]) : nil
            groupNormBackwardLanes(x, gr.data, weight: w, mean: mean, rstd: rstd, n: n, c: c, groups: groups,
                                   hw: hw, dx: dx.mutableData, dw: dwt?.mutableData, db: dbt?.mutableData)
            var grads: [Tensor?] = [dx]
            if let weight { grads.append(dwt!.reshapeRaw(weight.shape)) }
            if let bias { grads.append(dbt!.reshapeRaw(bias.shape)) }
            return grads
        }
    }
}
