@testable import Diffusion
import Engine
import Foundation
import Testing
@testable import Ch08TextToImage

/// Adds 0.1·N(0, 1) to every parameter, so zero-initialised projections (which make a fresh block
/// the identity) do not hide mistakes.
func perturb(_ m: Module, seed: UInt64) {
    var rng = RNG(seed: seed)
    for p in m.parameters { for i in 0..<p.count { p.storage.pointer[i] += 0.1 * rng.normal() } }
}

@Suite struct CrossAttentionTests {
    /// The block against the formula written out with plain loops in Double: tokens = norm(x) as
    /// [HW, C] rows, q/k/v by the three weight matrices, per head softmax(q·kᵀ/√d)·v, heads side by
    /// side, then W_o·(…) + b_o added to x. Float32 sums of ≤ 16 terms: agreement to 1e-4.
    @Test func matchesComposedReference() {
        var rng = RNG(seed: 1)
        let n = 2, c = 8, h = 3, w = 2, t = 5, dctx = 6, heads = 2, d = c / heads
        let block = SpatialCrossAttention(channels: c, contextDim: dctx, heads: heads, groups: 2, rng: &rng)
        perturb(block, seed: 2)
        let x = Tensor.randn([n, c, h, w], rng: &rng), ctx = Tensor.randn([n, t, dctx], rng: &rng)
        let y = Tensor.noGrad { block(x, context: ctx) }
        let normed = Tensor.noGrad { block.norm(x) }
        func lin(_ wt: Tensor, _ v: [Double]) -> [Double] {
            (0..<wt.shape[0]).map { o in (0..<wt.shape[1]).reduce(0.0) { $0 + Double(wt.data[o * wt.shape[1] + $1]) * v[$1] } }
        }
        var worst = 0.0
        for s in 0..<n {
            let keys = (0..<t).map { j in lin(block.key.weight, (0..<dctx).map { Double(ctx.data[(s * t + j) * dctx + $0]) }) }
            let values = (0..<t).map { j in lin(block.value.weight, (0..<dctx).map { Double(ctx.data[(s * t + j) * dctx + $0]) }) }
            for p in 0..<(h * w) {
                let token = (0..<c).map { Double(normed.data[(s * c + $0) * h * w + p]) }
                let q = lin(block.query.weight, token)
                var mixed = [Double](repeating: 0, count: c)
                for hd in 0..<heads {
                    let scores = (0..<t).map { j in (0..<d).reduce(0.0) { $0 + q[hd * d + $1] * keys[j][hd * d + $1] } / Double(d).squareRoot() }
                    let m = scores.max()!, e = scores.map { exp($0 - m) }, z = e.reduce(0, +)
                    for j in 0..<t { for k in 0..<d { mixed[hd * d + k] += e[j] / z * values[j][hd * d + k] } }
                }
                let out = lin(block.out.weight, mixed)
                for ch in 0..<c {
                    let expected = Double(x.data[(s * c + ch) * h * w + p]) + out[ch] + Double(block.out.bias!.data[ch])
                    worst = max(worst, abs(expected - Double(y.data[(s * c + ch) * h * w + p])))
                }
            }
        }
        #expect(worst < 1e-4, "largest difference \(worst)")
    }

    /// A fresh block passes x through unchanged (its output projection starts at zero).
    @Test func freshBlockIsIdentity() {
        var rng = RNG(seed: 3)
        let block = SpatialCrossAttention(channels: 4, contextDim: 3, heads: 2, groups: 2, rng: &rng)
        let x = Tensor.randn([1, 4, 2, 2], rng: &rng)
        let y = Tensor.noGrad { block(x, context: Tensor.randn([1, 3, 3], rng: &rng)) }
        #expect(y.values == x.values)
    }

    /// Gradients with respect to the image and the text against central differences of
    /// L = Σ y·r. With h = 1e-2 in Float32 the rounding error of a difference is about
    /// 1e-7·|L|/h ≈ 1e-4 and the truncation error h²·|L'''|/6 is smaller still.
    @Test func gradientsMatchFiniteDifferences() {
        var rng = RNG(seed: 4)
        let block = SpatialCrossAttention(channels: 4, contextDim: 3, heads: 2, groups: 2, rng: &rng)
        perturb(block, seed: 5)
        let x = Tensor.randn([1, 4, 2, 2], rng: &rng, requiresGrad: true)
        let ctx = Tensor.randn([1, 3, 3], rng: &rng, requiresGrad: true)
        let r = Tensor.randn([1, 4, 2, 2], rng: &rng)
        (block(x, context: ctx) * r).sum().backward()
        func loss() -> Double { Double(Tensor.noGrad { (block(x, context: ctx) * r).sum() }.item()) }
        for (tensor, grad) in [(x, x.grad!), (ctx, ctx.grad!)] {
            for i in stride(from: 0, to: tensor.count, by: 2) {
                let keep = tensor.data[i]
                tensor.storage.pointer[i] = keep + 1e-2; let up = loss()
                tensor.storage.pointer[i] = keep - 1e-2; let down = loss()
                tensor.storage.pointer[i] = keep
                let numeric = (up - down) / 2e-2
                #expect(abs(numeric - Double(grad.data[i])) < 2e-3 + 1e-2 * abs(numeric), "index \(i): \(numeric) vs \(grad.data[i])")
            }
        }
    }
}
