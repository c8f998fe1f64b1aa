import Foundation
import Testing
@testable import Engine

/// softmax, causal softmax, log-softmax, cross-entropy and fused attention against their
/// Reference twins (TwinSupport.swift says how).
///
/// The softmax bound, per row of n entries: the fast path forms z_j = s·x_j − m (two roundings,
/// so z is off by at most u·(|s·x_j| + |z_j|)), e^z_j with `vexp` (2u relative), their sum on 16
/// lanes (within n·u of the sum plus the terms' own errors) and y_j = e_j·(1/sum) (2u). To first
/// order the relative error of y_j is therefore at most ε_j = (a_j + max_k a_k + n + 8)·u with
/// a_j = 2|s·x_j| + |z_j| (the second |s·x_j| for the reference's own scaled input when s ≠ 1). Masked entries (−∞, or hidden keys) are exactly 0
/// on both sides. The backward, dx_j = y_j·(g_j − Σ_k g_k·y_k), inherits y's error and adds a sum
/// of n terms: |Δdx_j| ≤ y_j·((ε_j + 3u)·(|g_j| + |dot|) + Σ_k |g_k|·y_k·(ε_k + (n + 1)·u)) + u·|dx_j|.
@Suite struct TwinSoftmaxTests {
    /// Per-entry relative error bounds ε of one softmax row (see the suite's note); 0 where masked.
    static func softmaxEpsilons(_ x: ArraySlice<Float>, scale: Double = 1) -> [Double] {
        let finite = x.filter { $0.isFinite }.map { scale * Double($0) }
        let m = finite.max() ?? 0
        let a = x.map { $0.isFinite ? 2 * abs(scale * Double($0)) + abs(scale * Double($0) - m) : 0 }
        let aMax = a.max() ?? 0, n = Double(finite.count)
        return zip(x, a).map { xj, aj in xj.isFinite ? (aj + aMax + n + 8) * unitRoundoff : 0 }
    }

    /// Bounds for a softmax's output y [rows, n] and its input gradient (dx = scale·softmax backward of g).
    static func softmaxBounds(x: [Float], y: [Float], g: [Float], dx: [Float], rows: Int, n: Int, scale: Double)
        -> (y: [Double], dx: [Double]) {
        var yBound = [Double](repeating: 0, count: y.count), dxBound = yBound
        let u = unitRoundoff, tiny = 1e-37  // the last: results that underflow to subnormals
        for r in 0..<rows {
            let eps = softmaxEpsilons(x[(r * n)..<((r + 1) * n)], scale: scale)
            var dot = 0.0, spread = 0.0
            for j in 0..<n {
                let yj = Double(y[r * n + j]), gj = Double(g[r * n + j])
                dot += gj * yj
                spread += abs(gj) * yj * (eps[j] + Double(n + 1) * u)
            }
            for j in 0..<n {
                let e = r * n + j, yj = Double(y[e]), gj = Double(g[e])
                guard eps[j] > 0 else { continue }  // masked: exactly 0 on both sides
                yBound[e] = eps[j] * yj + tiny
                dxBound[e] = scale * yj * ((eps[j] + 3 * u) * (abs(gj) + abs(dot)) + spread) + 2 * u * abs(Double(dx[e])) + tiny
            }
        }
        return (yBound, dxBound)
    }

    @Test func softmaxMatchesReference() {
        checkTwin("softmax", seed: 2_511) { draw, check in
            let rows = draw.int(1...6), n = draw.chance(0.2) ? draw.int(1...70) : draw.int(1...17)
            var xv = draw.values(rows * n, std: draw.pick([0.5, 2, 8]))
            if draw.chance(0.2) {
                // A mask: some entries −∞, never a whole row (the reference has no answer for that).
                for r in 0..<rows { for j in 1..<max(1, n) where draw.chance(0.3) { xv[r * n + j] = -.infinity } }
            }
            let gv = draw.values(rows * n)
            let shape = draw.rowsShape(rows, n)
            let x = leaf(shape, xv)
            let y = x.softmax()
            y.backward(Tensor(shape: shape, values: gv))
            let want = Reference.softmaxForward(xv, rows: rows, n: n)
            let dx = Reference.softmaxBackward(gv, want, rows: rows, n: n)
            let bounds = Self.softmaxBounds(x: xv, y: want, g: gv, dx: dx, rows: rows, n: n, scale: 1)
            check.compare(y.values, want, bound: bounds.y, "softmax \(shape)")
            check.compare(gradient(x), dx, bound: bounds.dx, "softmax \(shape) dx")
        }
    }

    @Test func causalSoftmaxMatchesReference() {
        checkTwin("causalSoftmax", seed: 2_512) { draw, check in
            let batch = draw.int(1...3), t = draw.chance(0.2) ? draw.int(1...40) : draw.int(1...9)
            let scale = Float(draw.pick([0.125, 0.3, 1, 1.7]))
            let xv = draw.values(batch * t * t, std: draw.pick([0.5, 2, 6])), gv = draw.values(batch * t * t)
            let x = leaf([batch, t, t], xv)
            let y = x.causalSoftmax(scale: scale)
            y.backward(Tensor(shape: y.shape, values: gv))
            // The reference: hidden keys (j > i) set to −∞, the rest scaled, then a plain softmax.
            var masked = xv
            for e in 0..<masked.count { let i = (e / t) % t, j = e % t; masked[e] = j > i ? -.infinity : xv[e] }
            let scaled = masked.map { $0 * scale }
            let want = Reference.softmaxForward(scaled, rows: batch * t, n: t)
            let dx = Reference.softmaxBackward(gv, want, rows: batch * t, n: t).map { $0 * scale }
            let bounds = Self.softmaxBounds(x: masked, y: want, g: gv, dx: dx, rows: batch * t, n: t, scale: Double(scale))
            check.compare(y.values, want, bound: bounds.y, "causalSoftmax [\(batch), \(t), \(t)] scale \(scale)")
            check.compare(gradient(x), dx, bound: bounds.dx, "causalSoftmax [\(batch), \(t), \(t)] dx")
        }
    }

    /// log-softmax, y_j = x_j − m − log Σ e^z: the sum's relative error (n + 2 + max|z|)·u (as for
    /// softmax) becomes an absolute error of log's argument, and logf, the two subtractions and the
    /// reference add u·(|log s| + |lse| + |y_j|) and u. Backward, dx_j = g_j − e^(y_j)·Σg: e^y is
    /// off by Δy + 2u relatively, Σg by n·u·Σ|g|, and two more roundings.
    @Test func logSoftmaxMatchesReference() {
        let u = unitRoundoff
        checkTwin("logSoftmax", seed: 2_513) { draw, check in
            let rows = draw.int(1...6), n = draw.chance(0.2) ? draw.int(1...70) : draw.int(1...17)
            let xv = draw.values(rows * n, std: draw.pick([0.5, 2, 8])), gv = draw.values(rows * n)
            let shape = draw.rowsShape(rows, n)
            let x = leaf(shape, xv)
            let y = x.logSoftmax()
            y.backward(Tensor(shape: shape, values: gv))
            let want = Reference.logSoftmaxForward(xv, rows: rows, n: n)
            let dx = Reference.logSoftmaxBackward(gv, want, rows: rows, n: n)
            var yBound = [Double](repeating: 0, count: xv.count), dxBound = yBound
            for r in 0..<rows {
                let row = (r * n)..<((r + 1) * n)
                let m = Double(xv[row].max()!), lse = Reference.logSumExp(xv, row: r, n: n)
                let zMax = xv[row].map { abs(Double($0) - m) }.max()!
                let base = (Double(n) + 4 + zMax) * u + u * (abs(lse - m) + abs(lse))
                var dyMax = 0.0
                for e in row { yBound[e] = base + 2 * u * abs(Double(want[e])); dyMax = max(dyMax, yBound[e]) }
                let gAbs = gv[row].reduce(0.0) { $0 + abs(Double($1)) }
                for e in row {
                    let p = Foundation.exp(Double(want[e]))
                    dxBound[e] = p * gAbs * (dyMax + Double(n + 6) * u) + u * (abs(Double(gv[e])) + 2 * abs(Double(dx[e])))
                }
            }
            check.compare(y.values, want, bound: yBound, "logSoftmax \(shape)")
            check.compare(gradient(x), dx, bound: dxBound, "logSoftmax \(shape) dx")
        }
    }

    /// Cross-entropy: each row's term lse − x_target carries log-softmax's error; their mean is
    /// taken in Double and rounded once. The backward is (softmax − onehot)·g/count: softmax's ε_j,
    /// then the scale's and the product's roundings (and the subtraction's at the target).
    @Test func crossEntropyMatchesReference() {
        let u = unitRoundoff
        checkTwin("crossEntropy", seed: 2_514) { draw, check in
            let rows = draw.int(1...8), c = draw.chance(0.2) ? draw.int(1...70) : draw.int(1...17)
            let xv = draw.values(rows * c, std: draw.pick([0.5, 2, 8]))
            let ignore: Int? = draw.chance(0.3) ? -100 : nil
            let targets = (0..<rows).map { _ in ignore != nil && draw.chance(0.3) ? -100 : draw.int(0...(c - 1)) }
            let upstream = Float(draw.pick([1, -0.5, 3]))
            let logits = leaf(draw.rowsShape(rows, c), xv)
            let loss = crossEntropy(logits, targets, ignoreIndex: ignore)
            loss.backward(Tensor(scalar: upstream))
            let (want, probs) = Reference.crossEntropyForward(xv, targets: targets, rows: rows, c: c, ignoreIndex: ignore)
            let dx = Reference.crossEntropyBackward(upstream, probs: probs, targets: targets, rows: rows, c: c, ignoreIndex: ignore)
            let counted = targets.filter { $0 != ignore }.count
            var lossBound = 2 * u * abs(Double(want)) + 1e-37
            var dxBound = [Double](repeating: 0, count: xv.count)
            let gScale = counted > 0 ? abs(Double(upstream)) / Double(counted) : 0
            for r in 0..<rows where targets[r] != ignore {
                let row = (r * c)..<((r + 1) * c)
                let m = Double(xv[row].max()!), lse = Reference.logSumExp(xv, row: r, n: c)
                let zMax = xv[row].map { abs(Double($0) - m) }.max()!
                let term = lse - Double(xv[r * c + targets[r]])
                lossBound += ((Double(c) + 4 + zMax) * u + u * (abs(lse - m) + abs(lse) + abs(term))) / Double(counted)
                let eps = Self.softmaxEpsilons(xv[row])
                for (j, e) in row.enumerated() {
                    dxBound[e] = gScale * (Double(probs[e]) * eps[j] + 4 * u) + u * abs(Double(dx[e])) + 1e-37
                }
            }
            let what = "crossEntropy [\(rows), \(c)] targets \(targets) ignore \(String(describing: ignore))"
            check.compare([loss.item()], [want], bound: [lossBound], what)
            check.compare(gradient(logits), dx, bound: dxBound, what + " dlogits")
        }
    }
}
