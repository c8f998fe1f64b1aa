import Testing
@testable import Engine

/// The reference path (`Engine.useReference`, here scoped with `Engine.withReference`) against
/// the fast path: the switch routes every accelerated op to its plain-loop twin, and a small
/// model trained on either path follows the same trajectory up to float32 rounding.
@Suite struct ReferencePathTests {
    /// Under the switch each op returns exactly its `Reference` twin's values, so the switch
    /// really routes (a fast result would differ from the twin in the last bits somewhere, as
    /// the last expectation checks for GELU and softmax).
    @Test func switchRoutesEveryOpToItsTwin() {
        let x = randomTensor([2, 6, 6], seed: 1, requiresGrad: false)
        let w = randomTensor([5, 6], seed: 2, requiresGrad: false), b = randomTensor([5], seed: 3, requiresGrad: false)
        let img = randomTensor([2, 4, 5, 5], seed: 4, requiresGrad: false)
        let k = randomTensor([3, 4, 3, 3], seed: 5, requiresGrad: false)
        let qkv = randomTensor([2, 6, 12], seed: 6, requiresGrad: false)
        let v = x.values
        Engine.withReference(true) {
            #expect(x.matmul(x).values == Reference.matmulForward(v, v, batch: 2, m: 6, k: 6, n: 6))
            #expect(linear(x, w, b).values == Reference.linearForward(v, w.values, b.values, rows: 12, inFeatures: 6, outFeatures: 5))
            #expect(x.softmax().values == Reference.softmaxForward(v, rows: 12, n: 6))
            #expect(x.logSoftmax().values == Reference.logSoftmaxForward(v, rows: 12, n: 6))
            #expect(crossEntropy(x, Array(repeating: 2, count: 12)).item()
                    == Reference.crossEntropyForward(v, targets: Array(repeating: 2, count: 12), rows: 12, c: 6).loss)
            #expect(x.layerNorm(weight: nil, bias: nil).values == Reference.layerNormForward(v, weight: nil, bias: nil, rows: 12, c: 6).out)
            #expect(img.groupNorm(groups: 2, weight: nil, bias: nil).values
                    == Reference.groupNormForward(img.values, weight: nil, bias: nil, n: 2, c: 4, hw: 25, groups: 2).out)
            #expect(x.gelu().values == Reference.geluForward(v))
            #expect(x.silu().values == Reference.siluForward(v))
            let shape = Reference.ConvShape(n: 2, cin: 4, h: 5, w: 5, cout: 3, kh: 3, kw: 3, stride: 1, padding: 1)
            #expect(conv2d(img, k, nil, padding: 1).values == Reference.conv2dForward(img.values, k.values, nil, shape))
            let att = Reference.AttentionShape(batch: 2, t: 6, c: 4, heads: 2, causal: true)
            #expect(qkv.fusedSelfAttention(heads: 2, causal: true).output.values == Reference.attentionForward(qkv.values, att).out)
            var masked = v
            for r in 0..<12 { for j in 0..<6 where j > r % 6 { masked[r * 6 + j] = -.infinity } }
            #expect(x.causalSoftmax(scale: 1).values == Reference.softmaxForward(masked, rows: 12, n: 6))
        }
        #expect(x.gelu().values != Reference.geluForward(v) || x.softmax().values != Reference.softmaxForward(v, rows: 12, n: 6))
    }

    /// A small transformer block and a small convolutional net, trained for 6 SGD steps on each
    /// path from the same initial weights: the losses at every step and the final weights agree.
    ///
    /// Tolerance: each op's float32 result is within γ_L·Σ|terms| of the exact one (γ_L ≈ L·2⁻²⁴,
    /// L ≤ 96 here, the longest sum: dW over 2·6·6 conv positions or 32 rows of a linear layer),
    /// and the reference's Double sums are exact by comparison. That worst case, added over the
    /// ~40 ops of a step and 6 steps, allows 1e-3 and would hide small mistakes. Rounding errors
    /// have random signs, though: a sum of L terms is typically off by √L·2⁻²⁴ (≤ 6e-7 here), and
    /// ~240 such errors add like a random walk, √240 × 6e-7 ≈ 1e-5. Losses and weights must agree
    /// to 1e-5 relative to their size (weights: of the largest weight); measured 1.1e-7 and 3e-8.
    /// A wrong rule on either path (a missing term, a wrong scale) moves them by 1e-2 or more.
    @Test func smallModelsTrainTheSameOnBothPaths() {
        for model in [TinyBlock.self as TinyModel.Type, TinyConvNet.self] {
            let fast = train(model, reference: false), ref = train(model, reference: true)
            var worstLoss: Float = 0
            for (a, b) in zip(fast.losses, ref.losses) {
                worstLoss = Swift.max(worstLoss, abs(a - b) / Swift.max(abs(a), 1e-3))
            }
            let scale = fast.weights.map(abs).max() ?? 1
            let worstWeight = maxAbsDiff(fast.weights, ref.weights) / scale
            print("\(model): losses \(fast.losses.first!) → \(fast.losses.last!); worst relative loss difference \(worstLoss), weight difference \(worstWeight)")
            #expect(worstLoss <= 1e-5, "\(model) losses \(fast.losses) vs \(ref.losses)")
            #expect(worstWeight <= 1e-5, "\(model) weights differ by \(worstWeight) of the largest")
            // Training moved the loss, so the comparison covers real updates.
            #expect(fast.losses.last! < fast.losses.first!)
        }
    }

    /// The losses of 6 SGD steps and the final weights, on one path (deterministic either way).
    private func train(_ model: TinyModel.Type, reference: Bool) -> (losses: [Float], weights: [Float]) {
        Engine.withReference(reference) {
            var rng = RNG(seed: 7)
            let m = model.init(rng: &rng)
            let opt = SGD(m.parameters, lr: 0.1)
            var losses: [Float] = []
            for _ in 0..<6 {
                m.zeroGrad()
                let loss = m.loss()
                losses.append(loss.item())
                loss.backward()
                opt.step()
            }
            return (losses, m.parameters.flatMap(\.values))
        }
    }
}

/// A model with a fixed batch and a scalar loss, for the path comparison.
private protocol TinyModel: Module {
    init(rng: inout RNG)
    func loss() -> Tensor
}

/// Layer norm, causal self-attention (fused), a composed causal attention (matmul, causal
/// softmax, batched matmul), a GELU MLP, log-softmax and cross-entropy on [4, 8, 16].
private final class TinyBlock: Module, TinyModel {
    let ln1 = LayerNorm(16), ln2 = LayerNorm(16)
    let attn: MultiHeadSelfAttention, up: Linear, down: Linear, head: Linear, mix: Linear
    let x: Tensor, targets: [Int]

    required init(rng: inout RNG) {
        attn = MultiHeadSelfAttention(dim: 16, heads: 2, causal: true, rng: &rng)
        up = Linear(16, 32, rng: &rng); down = Linear(32, 16, rng: &rng)
        head = Linear(16, 11, rng: &rng); mix = Linear(16, 8, bias: false, rng: &rng)
        x = Tensor.randn([4, 8, 16], rng: &rng)
        targets = (0..<32).map { _ in Int(rng.next() % 11) }
        super.init()
    }

    override var children: [(name: String, module: Module)] {
        [("ln1", ln1), ("ln2", ln2), ("attn", attn), ("up", up), ("down", down), ("head", head), ("mix", mix)]
    }

    func loss() -> Tensor {
        var h = x + attn(ln1(x))
        // scores [4, 8, 8] from a shared [16, 8] matrix, then weights · h: a batched product.
        let weights = h.matmul(mix.weight.transpose()).causalSoftmax(scale: 0.5)
        h = h + weights.matmul(h)
        h = h + down(up(ln2(h)).gelu())
        let logits = head(h)
        return crossEntropy(logits, targets) - logits.logSoftmax().mean().scaled(0.01)
    }
}

/// conv2d (3×3 "same", then strided), group norm and SiLU on [2, 4, 6, 6], squared error.
private final class TinyConvNet: Module, TinyModel {
    let conv1: Conv2d, conv2: Conv2d, norm = GroupNorm(groups: 2, channels: 8)
    let x: Tensor, target: Tensor

    required init(rng: inout RNG) {
        conv1 = Conv2d(4, 8, kernel: 3, padding: 1, rng: &rng)
        conv2 = Conv2d(8, 3, kernel: 3, stride: 2, padding: 1, rng: &rng)
        x = Tensor.randn([2, 4, 6, 6], rng: &rng)
        target = Tensor.randn([2, 3, 3, 3], rng: &rng)
        super.init()
    }

    override var children: [(name: String, module: Module)] { [("conv1", conv1), ("norm", norm), ("conv2", conv2)] }

    func loss() -> Tensor { mseLoss(conv2(norm(conv1(x)).silu()), target) }
}
