import Testing
@testable import Engine

/// Fused self-attention against the Reference's attention composed of matmul and softmax.
///
/// The bound follows the computation, per sample and head, with |·| the Reference run on absolute
/// values. Scores S = Q·Kᵀ are d-term sums, then scaled and shifted: z is off by at most
/// δ_ij = (d + 3)·u·s·(|Q|·|K|ᵀ)_ij + u·|z_ij|, so the weights P carry the softmax bound with those
/// input errors, ε_ij = δ_ij + max_k δ_ik + (t + 8)·u (TwinSoftmaxTests). O = P·V, a t-term sum:
/// Σ_j P_ij·|V_je|·(ε_ij + (t + 3)·u). Backward: every term of dV = Pᵀ·dO, of dS = s·P ⊙ (dP − Σ dP⊙P)
/// with dP = dO·Vᵀ, and of dQ = dS·K and dK = dSᵀ·Q passes through P at most twice, one d-term and
/// two t-term sums and a few single roundings, so each is within (2·max ε + (2t + d + 12)·u) of the
/// same expression on absolute values.
@Suite struct TwinAttentionTests {
    @Test func fusedAttentionMatchesReference() {
        let u = unitRoundoff
        checkTwin("fusedSelfAttention", seed: 2_521) { draw, check in
            let heads = draw.int(1...3), d = draw.pick([1, 2, 3, 4, 8]), t = draw.chance(0.2) ? draw.int(1...33) : draw.int(1...9)
            let a = Reference.AttentionShape(batch: draw.int(1...2), t: t, c: heads * d, heads: heads, causal: draw.chance(0.5))
            let qkv = draw.values(a.batch * t * 3 * a.c, std: draw.pick([0.5, 1, 2])), gv = draw.values(a.batch * t * a.c)
            let x = leaf([a.batch, t, 3 * a.c], qkv)
            let (out, weights) = x.fusedSelfAttention(heads: heads, causal: a.causal)
            out.backward(Tensor(shape: out.shape, values: gv))
            let want = Reference.attentionForward(qkv, a)
            let dqkv = Reference.attentionBackward(gv, qkv, weights: want.weights, a)

            var outBound = [Double](repeating: 0, count: want.out.count), pBound = [Double](repeating: 0, count: want.weights.count)
            var dBound = [Double](repeating: 0, count: qkv.count)
            let s = 1 / Double(d).squareRoot()
            for b in 0..<a.batch {
                for h in 0..<heads {
                    let q = absolute(a.slice(qkv, b, h, part: 0)), k = absolute(a.slice(qkv, b, h, part: 1))
                    let v = absolute(a.slice(qkv, b, h, part: 2))
                    let base = (b * heads + h) * t * t
                    let p = Array(want.weights[base..<(base + t * t)])
                    let sAbs = Reference.matmulForward(q, Reference.transpose(k, rows: t, cols: d), batch: 1, m: t, k: d, n: t)
                    // ε per weight, from the scores' errors (see the suite's note).
                    var eps = [Double](repeating: 0, count: t * t), epsMax = 0.0
                    for i in 0..<t {
                        let visible = a.causal ? i + 1 : t
                        var z = [Double](repeating: 0, count: visible)
                        var scores = [Double](repeating: 0, count: visible)
                        for j in 0..<visible {
                            var dot = 0.0
                            for e in 0..<d {
                                dot += Double(qkv[(b * t + i) * 3 * a.c + h * d + e]) * Double(qkv[(b * t + j) * 3 * a.c + a.c + h * d + e])
                            }
                            scores[j] = s * dot
                        }
                        let m = scores.max()!
                        for j in 0..<visible { z[j] = scores[j] - m }
                        let delta = (0..<visible).map { Double(d + 3) * u * s * Double(sAbs[i * t + $0]) + u * (abs(z[$0]) + abs(scores[$0])) }
                        let deltaMax = delta.max()!
                        for j in 0..<visible {
                            eps[i * t + j] = delta[j] + deltaMax + Double(t + 8) * u
                            epsMax = max(epsMax, eps[i * t + j])
                            pBound[base + i * t + j] = eps[i * t + j] * Double(p[i * t + j]) + 1e-37
                        }
                    }
                    // O: Σ_j P_ij·|V_je|·(ε_ij + (t + 3)u).
                    for i in 0..<t {
                        for e in 0..<d {
                            var bound = 0.0
                            for j in 0..<t { bound += Double(p[i * t + j]) * Double(v[j * d + e]) * (eps[i * t + j] + Double(t + 3) * u) }
                            outBound[(b * t + i) * a.c + h * d + e] = bound + 1e-37
                        }
                    }
                    // Backward on absolute values.
                    var dO = [Float](repeating: 0, count: t * d)
                    for i in 0..<t { for e in 0..<d { dO[i * d + e] = abs(gv[(b * t + i) * a.c + h * d + e]) } }
                    let dPAbs = Reference.matmulForward(dO, Reference.transpose(v, rows: t, cols: d), batch: 1, m: t, k: d, n: t)
                    let dVAbs = Reference.matmulForward(Reference.transpose(p, rows: t, cols: t), dO, batch: 1, m: t, k: t, n: d)
                    var dSAbs = [Float](repeating: 0, count: t * t)
                    for i in 0..<t {
                        var spread = 0.0
                        for j in 0..<t { spread += Double(dPAbs[i * t + j]) * Double(p[i * t + j]) }
                        for j in 0..<t { dSAbs[i * t + j] = Float(s * Double(p[i * t + j]) * (Double(dPAbs[i * t + j]) + spread)) }
                    }
                    let dQAbs = Reference.matmulForward(dSAbs, k, batch: 1, m: t, k: t, n: d)
                    let dKAbs = Reference.matmulForward(Reference.transpose(dSAbs, rows: t, cols: t), q, batch: 1, m: t, k: t, n: d)
                    let factor = 2 * epsMax + Double(2 * t + d + 12) * u
                    for i in 0..<t {
                        for e in 0..<d {
                            let at = (b * t + i) * 3 * a.c + h * d + e
                            dBound[at] = factor * Double(dQAbs[i * d + e]) + 1e-37
                            dBound[at + a.c] = factor * Double(dKAbs[i * d + e]) + 1e-37
                            dBound[at + 2 * a.c] = (epsMax + Double(t + 3) * u) * Double(dVAbs[i * d + e]) + 1e-37
                        }
                    }
                }
            }
            let what = "fusedSelfAttention [\(a.batch), \(t), \(3 * a.c)] heads \(heads) causal \(a.causal)"
            check.compare(out.values, want.out, bound: outBound, what)
            check.compare(weights.values, want.weights, bound: pBound, what + " weights")
            check.compare(gradient(x), dqkv, bound: dBound, what + " dqkv")
        }
    }
}
