import Engine
import Foundation
import Models
import Testing

/// Cross-attention against a loop-by-loop reference and finite differences, and the decoder
/// block's causality.
struct CrossAttentionTests {
    /// out[b,t,:] = proj(concat_h Σ_s softmax_s(q_h·k_h[s]/√D) v_h[s]) written with plain loops.
    func reference(_ attn: MultiHeadCrossAttention, _ x: Tensor, _ m: Tensor) -> [Double] {
        let b = x.shape[0], t = x.shape[1], s = m.shape[1], c = attn.dim, h = attn.heads, d = c / h
        func lin(_ l: Linear, _ v: [Double]) -> [Double] {
            (0..<l.outFeatures).map { o in
                var acc = Double(l.bias?.data[o] ?? 0)
                for i in 0..<l.inFeatures { acc += Double(l.weight.data[o * l.inFeatures + i]) * v[i] }
                return acc
            }
        }
        var out: [Double] = []
        for bi in 0..<b {
            let mem = (0..<s).map { si in lin(attn.keyValue, (0..<m.shape[2]).map { Double(m.data[(bi * s + si) * m.shape[2] + $0]) }) }
            for ti in 0..<t {
                let q = lin(attn.query, (0..<c).map { Double(x.data[(bi * t + ti) * c + $0]) })
                var mixed = [Double](repeating: 0, count: c)
                for hi in 0..<h {
                    let scores = (0..<s).map { si in (0..<d).reduce(0.0) { $0 + q[hi * d + $1] * mem[si][hi * d + $1] } / Double(d).squareRoot() }
                    let mx = scores.max()!
                    let e = scores.map { exp($0 - mx) }, z = e.reduce(0, +)
                    for si in 0..<s { for j in 0..<d { mixed[hi * d + j] += e[si] / z * mem[si][c + hi * d + j] } }
                }
                out += lin(attn.proj, mixed)
            }
        }
        return out
    }

    @Test func matchesTheLoopReference() {
        var rng = RNG(seed: 5)
        let attn = MultiHeadCrossAttention(dim: 8, memoryDim: 6, heads: 2, rng: &rng)
        attn.recordWeights = true
        let x = Tensor.randn([2, 3, 8], rng: &rng), m = Tensor.randn([2, 5, 6], rng: &rng)
        let y = attn(x, memory: m)
        #expect(y.shape == [2, 3, 8])
        let ref = reference(attn, x, m)
        // Float32 products of ~10 terms of O(1): 1e-5 absolute is ~100 ulps.
        for (a, r) in zip(y.values, ref) { #expect(abs(Double(a) - r) < 1e-5) }
        // Each query's weights over the memory sum to 1.
        let w = attn.lastAttentionWeights!
        #expect(w.shape == [2, 2, 3, 5])
        for row in 0..<(2 * 2 * 3) { #expect(abs((0..<5).reduce(Float(0)) { $0 + w.data[row * 5 + $1] } - 1) < 1e-6) }
    }

    @Test func gradientsMatchFiniteDifferences() {
        var rng = RNG(seed: 6)
        let attn = MultiHeadCrossAttention(dim: 4, memoryDim: 3, heads: 2, rng: &rng)
        let x = Tensor.randn([1, 2, 4], rng: &rng, requiresGrad: true)
        let m = Tensor.randn([1, 3, 3], rng: &rng, requiresGrad: true)
        let inputs = [x, m, attn.query.weight, attn.keyValue.weight, attn.proj.weight]
        let reports = gradientCheck(inputs, depth: 64) { t in
            _ = t
            return attn(x, memory: m)
        }
        for r in reports { #expect(r.passed, "\(r)") }
    }

    /// A decoder block's output at position t does not change when later tokens change, but does
    /// change with the memory.
    @Test func decoderBlockIsCausalAndReadsTheMemory() {
        var rng = RNG(seed: 8)
        let block = CrossDecoderBlock(width: 8, memoryDim: 8, heads: 2, rng: &rng)
        let x = Tensor.randn([1, 4, 8], rng: &rng), m = Tensor.randn([1, 6, 8], rng: &rng)
        let y = Tensor.noGrad { block(x, memory: m) }.values
        let x2 = x.copy()
        for j in 0..<8 { x2.storage.pointer[3 * 8 + j] += 1 }
        let y2 = Tensor.noGrad { block(x2, memory: m) }.values
        #expect(Array(y[0..<24]) == Array(y2[0..<24]))
        #expect(Array(y[24..<32]) != Array(y2[24..<32]))
        let m2 = m.copy()
        m2.storage.pointer[0] += 1
        let y3 = Tensor.noGrad { block(x, memory: m2) }.values
        #expect(Array(y[0..<8]) != Array(y3[0..<8]))
    }
}
