/// Layer norm and group norm, forward and backward as explicit loops (as in llm.c).

extension Tensor {
    /// Normalises each row over the last axis to zero mean and unit variance, then scales by
    /// `weight` and shifts by `bias` (both [C]). Variance is the biased one, as in PyTorch.
    /// Reference twin: `Reference.layerNormForward`/`layerNormBackward`.
    public func layerNorm(weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) -> Tensor {
        let c = shape.last ?? 1, rows = count / Swift.max(c, 1)
        let out = Tensor.empty(shape)
        var mean = [Float](repeating: 0, count: rows), rstd = [Float](repeating: 0, count: rows)
        let x = data, y = out.data
        let w = weight?.data, b = bias?.data
        mean.withUnsafeMutableBufferPointer { mp in
            rstd.withUnsafeMutableBufferPointer { rp in
                let mpp = mp.baseAddress!, rpp = rp.baseAddress!
                Parallel.forRanges(rows, minChunk: Swift.max(1, 4096 / Swift.max(c, 1))) { r in
                    for row in r {
                        let xi = x + row * c, yi = y + row * c
                        let m = laneSums(c) { loadLanes(xi, $0, live: $1) } / Float(c)
                        let v = laneSquaredDeviations(xi, c, mean: m)
                        let rs = 1 / (v / Float(c) + eps).squareRoot()
                        forLanes(c) { j, live in
                            var n = (loadLanes(xi, j, live: live) - m) * rs
                            if let w { n *= loadLanes(w, j, live: live) }
                            if let b { n += loadLanes(b, j, live: live) }
                            storeLanes(n, yi, j, live: live)
                        }
                        mpp[row] = m; rpp[row] = rs
                    }
                }
            }
        }
        var inputs = [self]
        if let weight { inputs.append(weight) }
        if let bias { inputs.append(bias) }
        return Tensor.record(out, inputs) { g in
            let dx = Tensor.empty(self.shape)
            let dw = weight.map { Tensor.zeros($0.shape) }, db = bias.map { Tensor.zeros($0.shape) }
            let gp = g.data, dxp = dx.data
            // dx needs per-row sums only: split over rows.
            Parallel.forRanges(rows, minChunk: Swift.max(1, 4096 / Swift.max(c, 1))) { r in
                for row in r {
                    let xi = x + row * c, gi = gp + row * c, di = dxp + row * c
                    let m = mean[row], rs = rstd[row]
                    // With n = x̂ and dn = g·w: dx = rs·(dn − mean(dn) − n·mean(dn·n)). Padding
                    // lanes load g = 0, so they add nothing to either sum.
                    @inline(__always) func terms(_ j: Int, _ live: Int) -> (n: SIMD16<Float>, dn: SIMD16<Float>) {
                        let n = (loadLanes(xi, j, live: live) - m) * rs
                        var dn = loadLanes(gi, j, live: live)
                        if let w { dn *= loadLanes(w, j, live: live) }
                        return (n, dn)
                    }
                    let sdn = laneSums(c) { terms($0, $1).dn } / Float(c)
                    let sdnn = laneSums(c) { let t = terms($0, $1); return t.dn * t.n } / Float(c)
                    forLanes(c) { j, live in
                        let t = terms(j, live)
                        storeLanes(rs * (t.dn - sdn - t.n * sdnn), di, j, live: live)
                    }
                }
            }
            // dw, db sum over rows: split over 16-column blocks so the row order is fixed.
            if dw != nil || db != nil {
                let dwp = dw?.data, dbp = db?.data
                Parallel.forRanges((c + 15) / 16, minChunk: 4) { blocks in
                    for block in blocks {
                        let j = block * 16, live = Swift.min(16, c - j)
                        var sw = SIMD16<Float>(), sb = SIMD16<Float>()
                        for row in 0..<rows {
                            let gv = loadLanes(gp + row * c, j, live: live)
                            sw += gv * ((loadLanes(x + row * c, j, live: live) - mean[row]) * rstd[row])
                            sb += gv
                        }
                        if let dwp { storeLanes(sw, dwp, j, live: live) }
                        if let dbp { storeLanes(sb, dbp, j, live: live) }
                    }
                }
            }
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
        let cg = c / groups, size = cg * hw
        let out = Tensor.empty(shape)
        let x = data, y = out.data, w = weight?.data, b = bias?.data
        var mean = [Float](repeating: 0, count: n * groups), rstd = mean
        mean.withUnsafeMutableBufferPointer { mp in
            rstd.withUnsafeMutableBufferPointer { rp in
                let mpp = mp.baseAddress!, rpp = rp.baseAddress!
                Parallel.forRanges(n * groups) { r in
                    for ng in r {
                        let base = x + ng * size
                        let m = laneSums(size) { loadLanes(base, $0, live: $1) } / Float(size)
                        let v = laneSquaredDeviations(base, size, mean: m)
                        let rs = 1 / (v / Float(size) + eps).squareRoot()
                        mpp[ng] = m; rpp[ng] = rs
                        let g = ng % groups
                        for ci in 0..<cg {
                            let ch = g * cg + ci
                            let scale = (w?[ch] ?? 1) * rs, shift = b?[ch] ?? 0
                            let src = base + ci * hw, dst = y + ng * size + ci * hw
                            forLanes(hw) { j, live in
                                storeLanes((loadLanes(src, j, live: live) - m) * scale + shift, dst, j, live: live)
                            }
                        }
                    }
                }
            }
        }
        var inputs = [self]
        if let weight { inputs.append(weight) }
        if let bias { inputs.append(bias) }
        return Tensor.record(out, inputs) { gr in
            let dx = Tensor.empty(self.shape)
            let gp = gr.data, dxp = dx.data
            Parallel.forRanges(n * groups) { r in
                for ng in r {
                    let g = ng % groups, m = mean[ng], rs = rstd[ng]
                    // Padding lanes load g = 0, so they add nothing to either sum.
                    var sdnv = SIMD16<Float>(), sdnnv = SIMD16<Float>()
                    for ci in 0..<cg {
                        let scale = w?[g * cg + ci] ?? 1, off = ng * size + ci * hw
                        forLanes(hw) { j, live in
                            let xh = (loadLanes(x + off, j, live: live) - m) * rs
                            let dn = loadLanes(gp + off, j, live: live) * scale
                            sdnv += dn; sdnnv += dn * xh
                        }
                    }
                    let sdn = laneSum(sdnv) / Float(size), sdnn = laneSum(sdnnv) / Float(size)
                    for ci in 0..<cg {
                        let scale = w?[g * cg + ci] ?? 1, off = ng * size + ci * hw
                        forLanes(hw) { j, live in
                            let xh = (loadLanes(x + off, j, live: live) - m) * rs
                            let dn = loadLanes(gp + off, j, live: live) * scale
                            storeLanes(rs * (dn - sdn - xh * sdnn), dxp + off, j, live: live)
                        }
                    }
                }
            }
            var dw: Tensor? = nil, db: Tensor? = nil
            if weight != nil || bias != nil {
                let dwt = Tensor.zeros([c]), dbt = Tensor.zeros([c])
                let dwp = dwt.data, dbp = dbt.data
                Parallel.forRanges(c) { cr in
                    for ch in cr {
                        let g = ch / cg
                        var sw = SIMD16<Float>(), sb = SIMD16<Float>()
                        for s in 0..<n {
                            let m = mean[s * groups + g], rs = rstd[s * groups + g], off = (s * c + ch) * hw
                            forLanes(hw) { j, live in
                                let gv = loadLanes(gp + off, j, live: live)
                                sw += gv * ((loadLanes(x + off, j, live: live) - m) * rs)
                                sb += gv
                            }
                        }
                        dwp[ch] = laneSum(sw)
                        dbp[ch] = laneSum(sb)
                    }
                }
                dw = weight != nil ? dwt.reshapeRaw(weight!.shape) : nil
                db = bias != nil ? dbt.reshapeRaw(bias!.shape) : nil
            }
            var grads: [Tensor?] = [dx]
            if weight != nil { grads.append(dw) }
            if bias != nil { grads.append(db) }
            return grads
        }
    }
}
