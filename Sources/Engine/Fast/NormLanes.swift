// Layer norm and group norm on 16 lanes: the loops `Tensor.layerNorm` and `Tensor.groupNorm`
// call. Row statistics are lane sums added by one fixed tree (LaneSums.swift), so a result
// depends only on the row, never on the thread that computed it. Parameter gradients sum over
// rows in row order, split over columns (or channels), for the same reason.

/// Layer norm forward over rows of x [rows, c]: y = (x − mean)·rstd·w + b, and each row's mean
/// and rstd = 1/√(var + eps) written to `mean` and `rstd` [rows]. Split over rows.
/// Reference twin: `Reference.layerNormForward`.
func layerNormForwardLanes(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                           weight w: UnsafePointer<Float>?, bias b: UnsafePointer<Float>?,
                           rows: Int, c: Int, eps: Float,
                           mean mpp: UnsafeMutablePointer<Float>, rstd rpp: UnsafeMutablePointer<Float>) {
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

/// Layer norm backward: dx [rows, c] from the upstream gradient g and the forward's statistics,
/// and, when asked for, dw and db [c] (zero-filled by the caller). Reference twin:
/// `Reference.layerNormBackward`.
func layerNormBackwardLanes(_ x: UnsafePointer<Float>, _ gp: UnsafePointer<Float>, weight w: UnsafePointer<Float>?,
                            mean: [Float], rstd: [Float], rows: Int, c: Int,
                            dx dxp: UnsafeMutablePointer<Float>,
                            dw dwp: UnsafeMutablePointer<Float>?, db dbp: UnsafeMutablePointer<Float>?) {
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
    if dwp != nil || dbp != nil {
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
}

/// Group norm forward on x [n, c, hw] with c/groups channels per group: each (sample, group) run
/// normalised like one layer-norm row, then a per-channel affine; statistics to `mean` and
/// `rstd` [n·groups]. Split over (sample, group). Reference twin: `Reference.groupNormForward`.
func groupNormForwardLanes(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                           weight w: UnsafePointer<Float>?, bias b: UnsafePointer<Float>?,
                           n: Int, groups: Int, cg: Int, hw: Int, eps: Float,
                           mean mpp: UnsafeMutablePointer<Float>, rstd rpp: UnsafeMutablePointer<Float>) {
    let size = cg * hw
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

/// Group norm backward: dx from the upstream gradient and the forward's statistics; with
/// `dw` and `db` [c] given, also those (every channel written). Reference twin:
/// `Reference.groupNormBackward`.
func groupNormBackwardLanes(_ x: UnsafePointer<Float>, _ gp: UnsafePointer<Float>, weight w: UnsafePointer<Float>?,
                            mean: [Float], rstd: [Float], n: Int, c: Int, groups: Int, hw: Int,
                            dx dxp: UnsafeMutablePointer<Float>,
                            dw dwp: UnsafeMutablePointer<Float>?, db dbp: UnsafeMutablePointer<Float>?) {
    let cg = c / groups, size = cg * hw
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
    guard let dwp, let dbp else { return }
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
}
