import Foundation
import Testing
@testable import Engine

/// layer norm, group norm, GELU and SiLU against their Reference twins (TwinSupport.swift says how).
@Suite struct TwinNormActivationTests {
    /// First-order rounding bounds of a normalisation whose statistics run over `runs` (each a
    /// list of element indices: a layer-norm row, a group-norm group) with per-element parameter
    /// index `param`. The fast path's mean is a float32 sum of c terms, so it is off by
    /// Δm ≤ (c + 1)·u·Σ|x|/c; the squared deviations then by ΔV ≤ 2·Δm·Σ|d| + (c + 2)·u·V, and
    /// rstd = 1/√(V/c + eps) relatively by ½·ΔV/(V + c·eps) + 3u. Each normalised value
    /// n = d·rstd is then off by Δn ≤ rstd·(Δm + u|d|) + |n|·(rel rstd + u), and the affine adds
    /// two roundings. Backward, dx = rstd·(dn − mean(dn) − n·mean(dn·n)) with dn = g·w: the two
    /// means are c-term sums, n carries Δn (and the reference's float32 statistics another
    /// u·rstd·|m| + 2u|n|), and five single roundings. dw and db are sums over the elements each
    /// parameter touches.
    static func normBounds(x: [Float], g: [Float], weight: [Float]?, runs: [[Int]], param: (Int) -> Int,
                           parameters: Int, eps: Float, out: [Float], dx: [Float])
        -> (out: [Double], dx: [Double], dw: [Double], db: [Double]) {
        let u = unitRoundoff, tiny = 1e-37
        var outB = [Double](repeating: 0, count: x.count), dxB = outB
        var dwB = [Double](repeating: 0, count: parameters), dbB = dwB, touches = [Int](repeating: 0, count: parameters)
        var gnAbs = [Double](repeating: 0, count: parameters), gAbs = gnAbs
        for run in runs {
            let c = Double(run.count)
            let m = run.reduce(0.0) { $0 + Double(x[$1]) } / c
            let s1 = run.reduce(0.0) { $0 + abs(Double(x[$1])) }
            let dAbs = run.reduce(0.0) { $0 + abs(Double(x[$1]) - m) }
            let v = run.reduce(0.0) { $0 + (Double(x[$1]) - m) * (Double(x[$1]) - m) }
            let rs = 1 / (v / c + Double(eps)).squareRoot()
            let dm = (c + 1) * u * s1 / c
            let dv = 2 * dm * dAbs + (c + 2) * u * v
            let relRs = 0.5 * dv / (v + c * Double(eps)) + 3 * u
            var dn = [Double](), norm = [Double](), dnorm = [Double]()
            for e in run {
                let d = Double(x[e]) - m, n = d * rs, w = Double(weight?[param(e)] ?? 1)
                let deltaN = rs * (dm + u * abs(d)) + abs(n) * (relRs + u)
                outB[e] = abs(w) * deltaN + 2 * u * abs(n * w) + 2 * u * abs(Double(out[e])) + tiny
                dn.append(Double(g[e]) * w); norm.append(n)
                dnorm.append(deltaN + rs * u * abs(m) + 2 * u * abs(n))
            }
            let sdn = dn.reduce(0, +) / c, sdnn = zip(dn, norm).reduce(0.0) { $0 + $1.0 * $1.1 } / c
            let dSdn = (c + 2) * u * dn.reduce(0.0) { $0 + abs($1) } / c
            var dSdnn = (c + 3) * u * zip(dn, norm).reduce(0.0) { $0 + abs($1.0 * $1.1) } / c
            for i in run.indices { dSdnn += abs(dn[i]) * dnorm[i] / c }
            for (i, e) in run.enumerated() {
                let dt = u * abs(dn[i]) + dSdn + dnorm[i] * abs(sdnn) + abs(norm[i]) * dSdnn
                    + 3 * u * (abs(dn[i]) + abs(sdn) + abs(norm[i] * sdnn))
                dxB[e] = rs * dt + abs(Double(dx[e])) * (relRs + 3 * u) + tiny
                let p = param(e), ge = abs(Double(g[e]))
                touches[p] += 1
                gnAbs[p] += ge * abs(norm[i]); gAbs[p] += ge
                dwB[p] += ge * dnorm[i]
            }
        }
        for p in 0..<parameters {
            dwB[p] += Double(touches[p] + 3) * u * gnAbs[p] + tiny
            dbB[p] = Double(touches[p] + 3) * u * gAbs[p] + tiny
        }
        return (outB, dxB, dwB, dbB)
    }

    @Test func layerNormMatchesReference() {
        checkTwin("layerNorm", seed: 2_531) { draw, check in
            let rows = draw.int(1...6), c = draw.chance(0.2) ? draw.int(1...80) : draw.int(1...20)
            let std = Float(draw.pick([0.1, 1, 5]))
            // An offset of a few deviations makes the mean's cancellation matter.
            let xv = draw.values(rows * c, std: std, mean: Float(draw.pick([0, 1, -3])) * std), gv = draw.values(rows * c)
            let wv: [Float]? = draw.chance(0.7) ? draw.values(c) : nil, bv: [Float]? = draw.chance(0.7) ? draw.values(c) : nil
            let shape = draw.rowsShape(rows, c)
            let x = leaf(shape, xv), w = wv.map { leaf([c], $0) }, b = bv.map { leaf([c], $0) }
            let y = x.layerNorm(weight: w, bias: b)
            y.backward(Tensor(shape: shape, values: gv))
            let want = Reference.layerNormForward(xv, weight: wv, bias: bv, rows: rows, c: c)
            let grads = Reference.layerNormBackward(gv, xv, weight: wv, mean: want.mean, rstd: want.rstd, rows: rows, c: c)
            let bounds = Self.normBounds(x: xv, g: gv, weight: wv, runs: (0..<rows).map { Array(($0 * c)..<(($0 + 1) * c)) },
                                         param: { $0 % c }, parameters: c, eps: 1e-5, out: want.out, dx: grads.dx)
            let what = "layerNorm \(shape) weight \(wv != nil) bias \(bv != nil)"
            check.compare(y.values, want.out, bound: bounds.out, what)
            check.compare(gradient(x), grads.dx, bound: bounds.dx, what + " dx")
            if let w { check.compare(gradient(w), grads.dweight, bound: bounds.dw, what + " dweight") }
            if let b { check.compare(gradient(b), grads.dbias, bound: bounds.db, what + " dbias") }
        }
    }

    @Test func groupNormMatchesReference() {
        checkTwin("groupNorm", seed: 2_532) { draw, check in
            let n = draw.int(1...3), groups = draw.int(1...3), c = groups * draw.int(1...3)
            let plane = draw.chance(0.2) ? [] : [draw.int(1...5), draw.int(1...6)]  // [N, C] or [N, C, H, W]
            let hw = plane.reduce(1, *), shape = [n, c] + plane
            let std = Float(draw.pick([0.1, 1, 5]))
            let xv = draw.values(n * c * hw, std: std, mean: Float(draw.pick([0, 1, -3])) * std), gv = draw.values(n * c * hw)
            let wv: [Float]? = draw.chance(0.7) ? draw.values(c) : nil, bv: [Float]? = draw.chance(0.7) ? draw.values(c) : nil
            let x = leaf(shape, xv), w = wv.map { leaf([c], $0) }, b = bv.map { leaf([c], $0) }
            let y = x.groupNorm(groups: groups, weight: w, bias: b)
            y.backward(Tensor(shape: shape, values: gv))
            let want = Reference.groupNormForward(xv, weight: wv, bias: bv, n: n, c: c, hw: hw, groups: groups)
            let grads = Reference.groupNormBackward(gv, xv, weight: wv, mean: want.mean, rstd: want.rstd, n: n, c: c, hw: hw,
                                                    groups: groups)
            let run = c / groups * hw
            let bounds = Self.normBounds(x: xv, g: gv, weight: wv, runs: (0..<(n * groups)).map { Array(($0 * run)..<(($0 + 1) * run)) },
                                         param: { ($0 / hw) % c }, parameters: c, eps: 1e-5, out: want.out, dx: grads.dx)
            let what = "groupNorm \(shape) groups \(groups) weight \(wv != nil) bias \(bv != nil)"
            check.compare(y.values, want.out, bound: bounds.out, what)
            check.compare(gradient(x), grads.dx, bound: bounds.dx, what + " dx")
            if let w { check.compare(gradient(w), grads.dweight, bound: bounds.dw, what + " dweight") }
            if let b { check.compare(gradient(b), grads.dbias, bound: bounds.db, what + " dbias") }
        }
    }

    /// GELU = x·Φ(x): `vnormalCDF` is within 8u·Φ + 2u of Φ (VectorMath.swift), `vnormalDensity`
    /// within 4u·φ, and the products and sums add single roundings. Below x ≈ −13, Φ is subnormal
    /// and only an absolute floor of 1e-37 applies.
    @Test func geluMatchesReference() {
        let u = unitRoundoff
        checkTwin("gelu", seed: 2_533) { draw, check in
            let count = draw.chance(0.2) ? draw.int(1...200) : draw.int(1...40)
            let xv = draw.values(count, std: Float(draw.pick([0.5, 2, 5]))), gv = draw.values(count)
            let x = leaf([count], xv)
            let y = x.gelu()
            y.backward(Tensor(shape: [count], values: gv))
            let want = Reference.geluForward(xv), dx = Reference.geluBackward(gv, xv)
            var yB = [Double](), dxB = [Double]()
            for i in 0..<count {
                let v = Double(xv[i]), cdf = Reference.normalCDF(v), pdf = Foundation.exp(-v * v / 2) / (2 * Double.pi).squareRoot()
                let dCdf = 8 * u * cdf + 2 * u
                yB.append(abs(v) * dCdf + 2 * u * abs(Double(want[i])) + 1e-37)
                dxB.append(abs(Double(gv[i])) * (dCdf + 4 * u * abs(v) * pdf + 3 * u * (cdf + abs(v) * pdf)) + 2 * u * abs(Double(dx[i])) + 1e-37)
            }
            check.compare(y.values, want, bound: yB, "gelu [\(count)]")
            check.compare(gradient(x), dx, bound: dxB, "gelu [\(count)] dx")
        }
    }

    /// SiLU = x/(1 + e⁻ˣ): `vexp` 2u relative, then an add and a division, so the output is within
    /// 5u (with the reference's rounding). σ carries 4u; in the backward, σ·(1 + x·(1 − σ)), the
    /// difference 1 − σ keeps σ's absolute error 4u·σ. Below x ≈ −88.7, e⁻ˣ overflows and both
    /// sides are within 1e-30 of 0.
    @Test func siluMatchesReference() {
        let u = unitRoundoff
        checkTwin("silu", seed: 2_534) { draw, check in
            let count = draw.chance(0.2) ? draw.int(1...200) : draw.int(1...40)
            var xv = draw.values(count, std: Float(draw.pick([0.5, 3, 10])))
            if draw.chance(0.05) { xv[0] = draw.pick([-100, -90, 90, 100]) }  // past exp's range
            let gv = draw.values(count)
            let x = leaf([count], xv)
            let y = x.silu()
            y.backward(Tensor(shape: [count], values: gv))
            let want = Reference.siluForward(xv), dx = Reference.siluBackward(gv, xv)
            var yB = [Double](), dxB = [Double]()
            for i in 0..<count {
                let v = Double(xv[i]), s = Reference.sigmoid(v)
                yB.append(5 * u * abs(Double(want[i])) + 1e-30)
                let inner = abs(v) * (4 * u * s + 2 * u * (1 - s)) + u * abs(1 + v * (1 - s))
                dxB.append(abs(Double(gv[i])) * s * inner + 7 * u * abs(Double(dx[i])) + 1e-30)
            }
            check.compare(y.values, want, bound: yB, "silu [\(count)]")
            check.compare(gradient(x), dx, bound: dxB, "silu [\(count)] dx")
        }
    }
}
