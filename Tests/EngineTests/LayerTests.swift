import Foundation
import Testing
@testable import Engine

/// Copies fixed random values into a parameter (so a check does not run at the trivial init,
/// such as a layer norm's weight 1 and bias 0).
private func randomize(_ t: Tensor, seed: UInt64, std: Float = 0.5) {
    let r = randomTensor(t.shape, seed: seed, std: std, requiresGrad: false)
    r.withUnsafeValues { t.storage.pointer.update(from: $0, count: t.count) }
}

/// A two-level model to check dotted names through nested children, as a GPT names them.
private final class TinyBlock: Module {
    let attn: MultiHeadSelfAttention
    let norm = LayerNorm(4)
    init(rng: inout RNG) { attn = MultiHeadSelfAttention(dim: 4, heads: 2, causal: true, rng: &rng) }
    override var children: [(name: String, module: Module)] { [("ln_1", norm), ("attn", attn)] }
}

private final class TinyModel: Module {
    let blocks: [TinyBlock]
    init(rng: inout RNG) { blocks = [TinyBlock(rng: &rng), TinyBlock(rng: &rng)] }
    override var children: [(name: String, module: Module)] {
        blocks.enumerated().map { ("blocks.\($0.offset)", $0.element as Module) }
    }
}

/// Attention computed with plain loops in Double from the layer's own weights: [B, T, C] values.
private func referenceAttention(_ layer: MultiHeadSelfAttention, _ x: Tensor) -> [Double] {
    let b = x.shape[0], t = x.shape[1], c = x.shape[2], h = layer.heads, d = c / h
    let wq = layer.qkv.weight, bq = layer.qkv.bias!, wp = layer.proj.weight, bp = layer.proj.bias!
    // qkv[bi][ti][o] for o in 0..<3C.
    var qkv = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: 3 * c), count: t), count: b)
    for bi in 0..<b { for ti in 0..<t { for o in 0..<(3 * c) {
        var s = Double(bq[o])
        for i in 0..<c { s += Double(wq[o, i]) * Double(x[bi, ti, i]) }
        qkv[bi][ti][o] = s
    } } }
    var mixed = [Double](repeating: 0, count: b * t * c)
    for bi in 0..<b { for hi in 0..<h { for qi in 0..<t {
        var scores = [Double](repeating: -.infinity, count: t)
        for ki in 0..<t where !(layer.causal && ki > qi) {
            var s = 0.0
            for j in 0..<d { s += qkv[bi][qi][hi * d + j] * qkv[bi][ki][c + hi * d + j] }
            scores[ki] = s / Double(d).squareRoot()
        }
        let m = scores.max()!
        let e = scores.map { $0 == -.infinity ? 0 : Foundation.exp($0 - m) }
        let z = e.reduce(0, +)
        for j in 0..<d {
            var s = 0.0
            for ki in 0..<t { s += e[ki] / z * qkv[bi][ki][2 * c + hi * d + j] }
            mixed[(bi * t + qi) * c + hi * d + j] = s
        }
    } } }
    var out = [Double](repeating: 0, count: b * t * c)
    for r in 0..<(b * t) { for o in 0..<c {
        var s = Double(bp[o])
        for i in 0..<c { s += Double(wp[o, i]) * mixed[r * c + i] }
        out[r * c + o] = s
    } }
    return out
}

@Suite struct LayerTests {
    // MARK: Linear and Embedding

    @Test func linearValuesAndGradients() {
        var rng = RNG(seed: 1)
        let layer = Linear(4, 3, rng: &rng)
        let x = randomTensor([2, 4], seed: 2)
        let y = layer(x)
        #expect(y.shape == [2, 3])
        for r in 0..<2 { for o in 0..<3 {
            var s = Double(layer.bias![o])
            for i in 0..<4 { s += Double(layer.weight[o, i]) * Double(x[r, i]) }
            #expect(abs(Double(y[r, o]) - s) < 1e-5)
        } }
        expectGradients([x, layer.weight, layer.bias!]) { linear($0[0], $0[1], $0[2]) }
        expectGradients([x, layer.weight, layer.bias!]) { _ in layer(x) }
        let noBias = Linear(4, 3, bias: false, rng: &rng)
        #expect(noBias.bias == nil && noBias.namedParameters().map(\.name) == ["weight"])
        expectGradients([x, noBias.weight]) { _ in noBias(x) }
    }

    @Test func linearAndEmbeddingInitialisation() {
        // Linear: uniform on ±1/√in, so every |w| ≤ 0.1 and E[w²] = bound²/3. With 5000 draws the
        // relative standard error of the mean square is 0.89/√5000 ≈ 1.3%, so 5% is 4 errors.
        var rng = RNG(seed: 3)
        let l = Linear(100, 50, rng: &rng)
        let w = l.weight.values
        #expect(w.allSatisfy { abs($0) <= 0.1 })
        #expect(w.contains { abs($0) > 0.099 })
        let ms = w.reduce(0.0) { $0 + Double($1 * $1) } / Double(w.count)
        #expect(abs(ms / (0.01 / 3) - 1) < 0.05)
        #expect(l.bias!.values.allSatisfy { abs($0) <= 0.1 })
        #expect(l.weight.requiresGrad && l.bias!.requiresGrad)
        // Embedding: N(0, 1), E[w²] = 1 with relative standard error √2/√5000 ≈ 2%; allow 8%.
        let e = Embedding(100, 50, rng: &rng)
        let ev = e.weight.values
        let ems = ev.reduce(0.0) { $0 + Double($1 * $1) } / Double(ev.count)
        #expect(abs(ems - 1) < 0.08)
        #expect(ev.contains { abs($0) > 2.5 })  // a uniform or too-narrow init would have none
    }

    @Test func embeddingLookupAndGradient() {
        var rng = RNG(seed: 4)
        let e = Embedding(5, 3, rng: &rng)
        let ids = [1, 3, 1, 4]  // id 1 repeats: its gradient row must be the sum of two rows
        let y = e(ids: ids, shape: [2, 2])
        #expect(y.shape == [2, 2, 3])
        for (n, id) in ids.enumerated() { for j in 0..<3 {
            #expect(y[n / 2, n % 2, j] == e.weight[id, j])
        } }
        #expect(e(ids: [2]).shape == [1, 3])
        expectGradients([e.weight]) { _ in e(ids: ids, shape: [2, 2]) }
        #expect(e.parameterCount == 15 && e.namedParameters().map(\.name) == ["weight"])
    }

    // MARK: Norms

    @Test func layerNormGradients() {
        let ln = LayerNorm(5)
        #expect(ln.weight.values == [1, 1, 1, 1, 1] && ln.bias.values == [0, 0, 0, 0, 0])
        let x = randomTensor([3, 5], seed: 5)
        // At the initial weight 1, bias 0 each row comes out with mean 0 and variance 1.
        let y0 = ln(x)
        for r in 0..<3 {
            let row = (0..<5).map { Double(y0[r, $0]) }
            let m = row.reduce(0, +) / 5
            let v = row.reduce(0) { $0 + ($1 - m) * ($1 - m) } / 5
            #expect(abs(m) < 1e-6 && abs(v - 1) < 1e-3)  // 1e-3: eps = 1e-5 against a variance ~1
        }
        randomize(ln.weight, seed: 6); randomize(ln.bias, seed: 7)
        expectGradients([x, ln.weight, ln.bias]) { _ in ln(x) }
    }

    @Test func groupNormGradients() {
        let gn = GroupNorm(groups: 2, channels: 4)
        randomize(gn.weight, seed: 8); randomize(gn.bias, seed: 9)
        let x = randomTensor([2, 4, 3], seed: 10)
        #expect(gn(x).shape == [2, 4, 3])
        expectGradients([x, gn.weight, gn.bias]) { _ in gn(x) }
        #expect(gn.parameterCount == 8)
    }

    // MARK: MLP, activations, Sequential

    @Test(arguments: [Activation.gelu, .silu, .tanh])
    func mlpGradients(_ activation: Activation) {
        var rng = RNG(seed: 11)
        let mlp = MLP([3, 5, 4, 2], activation: activation, rng: &rng)
        let x = randomTensor([4, 3], seed: 12)
        #expect(mlp(x).shape == [4, 2])
        expectGradients([x] + mlp.parameters) { _ in mlp(x) }
    }

    @Test func mlpHasNoActivationAfterTheLastLayer() {
        // With ReLU, hidden units are ≥ 0 but a final activation would also clamp the output; a
        // correct MLP gives negative outputs for some inputs.
        var rng = RNG(seed: 13)
        let mlp = MLP([2, 8, 1], activation: .relu, rng: &rng)
        let y = mlp(randomTensor([64, 2], seed: 14, requiresGrad: false)).values
        #expect(y.contains { $0 < 0 })
        // And the result equals layer 1 ∘ relu ∘ layer 0 applied by hand.
        let x = randomTensor([3, 2], seed: 15, requiresGrad: false)
        #expect(maxAbsDiff(mlp(x).values, mlp.layers[1](mlp.layers[0](x).relu()).values) == 0)
    }

    @Test func activationsMatchTheirOps() {
        let x = randomTensor([7], seed: 16, requiresGrad: false)
        #expect(Activation.relu(x).values == x.relu().values)
        #expect(Activation.gelu(x).values == x.gelu().values)
        #expect(Activation.silu(x).values == x.silu().values)
        #expect(ActivationLayer(.tanh)(x).values == x.tanh().values)
    }

    @Test func sequentialGradientsAndNames() {
        var rng = RNG(seed: 17)
        let model = Sequential(Linear(3, 4, rng: &rng), ActivationLayer(.silu), LayerNorm(4), Linear(4, 2, rng: &rng))
        randomize((model.layers[2] as! LayerNorm).weight, seed: 18)
        let x = randomTensor([2, 3], seed: 19)
        expectGradients([x] + model.parameters) { _ in model(x) }
        #expect(model.namedParameters().map(\.name) ==
                ["0.weight", "0.bias", "2.weight", "2.bias", "3.weight", "3.bias"])
        #expect(model.parameterCount == (3 * 4 + 4) + 2 * 4 + (4 * 2 + 2))
    }

    // MARK: Attention

    @Test(arguments: [false, true])
    func attentionGradients(_ causal: Bool) {
        var rng = RNG(seed: 20)
        let attn = MultiHeadSelfAttention(dim: 4, heads: 2, causal: causal, rng: &rng)
        let x = randomTensor([2, 3, 4], seed: 21)
        // Depth 64: an output passes through two projections, a scaled dot product, a softmax and a
        // weighted sum, several dozen dependent float32 operations.
        expectGradients([x] + attn.parameters, depth: 64) { _ in attn(x) }
    }

    @Test(arguments: [false, true])
    func attentionMatchesTripleLoop(_ causal: Bool) {
        var rng = RNG(seed: 22)
        let attn = MultiHeadSelfAttention(dim: 8, heads: 4, causal: causal, rng: &rng)
        let x = randomTensor([2, 5, 8], seed: 23, requiresGrad: false)
        let y = attn(x)
        #expect(y.shape == [2, 5, 8])
        let ref = referenceAttention(attn, x)
        // Float32 through two projections and a softmax of values O(1): errors of a few 1e-7.
        #expect(zip(y.values, ref).allSatisfy { abs(Double($0) - $1) < 1e-5 })
    }

    @Test func causalMaskStopsInformationFlowingBackwards() {
        var rng = RNG(seed: 24)
        let causal = MultiHeadSelfAttention(dim: 6, heads: 3, causal: true, rng: &rng)
        let x = randomTensor([1, 6, 6], seed: 25, requiresGrad: false)
        let t = 3
        let x2 = x.copy()
        for j in 0..<6 { x2.storage.pointer[t * 6 + j] += 1 }
        let y = causal(x).values, y2 = causal(x2).values
        // Masked weights are exactly 0 and 0·v adds exactly 0, so earlier rows are bit-identical.
        #expect(Array(y[0..<(t * 6)]) == Array(y2[0..<(t * 6)]))
        for pos in t..<6 { #expect(maxAbsDiff(Array(y[(pos * 6)..<(pos * 6 + 6)]), Array(y2[(pos * 6)..<(pos * 6 + 6)])) > 1e-4) }
        // Without the mask the same change reaches every position.
        let open = MultiHeadSelfAttention(dim: 6, heads: 3, causal: false, rng: &rng)
        let z = open(x).values, z2 = open(x2).values
        #expect(maxAbsDiff(Array(z[0..<6]), Array(z2[0..<6])) > 1e-4)
    }

    @Test func recordedAttentionWeights() {
        var rng = RNG(seed: 26)
        let attn = MultiHeadSelfAttention(dim: 4, heads: 2, causal: true, rng: &rng)
        let x = randomTensor([2, 3, 4], seed: 27, requiresGrad: true)
        _ = attn(x)
        #expect(attn.lastAttentionWeights == nil)
        attn.recordWeights = true
        _ = attn(x)
        let w = try! #require(attn.lastAttentionWeights)
        #expect(w.shape == [2, 2, 3, 3] && !w.requiresGrad)
        for b in 0..<2 { for h in 0..<2 { for i in 0..<3 {
            #expect(abs((0..<3).reduce(Float(0)) { $0 + w[b, h, i, $1] } - 1) < 1e-6)
            for j in (i + 1)..<3 { #expect(w[b, h, i, j] == 0) }
        } } }
        #expect(w[0, 0, 0, 0] == 1)  // the first token can only attend to itself
    }

    // MARK: Names and counts

    @Test func parameterNamesAndCounts() {
        var rng = RNG(seed: 28)
        let mlp = MLP([2, 16, 16, 1], rng: &rng)
        #expect(mlp.namedParameters().map(\.name) ==
                ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
                 "layers.2.weight", "layers.2.bias"])
        // Σ (in + 1)·out over consecutive sizes.
        #expect(mlp.parameterCount == (2 + 1) * 16 + (16 + 1) * 16 + (16 + 1) * 1)
        let attn = MultiHeadSelfAttention(dim: 8, heads: 2, causal: false, rng: &rng)
        #expect(attn.namedParameters().map(\.name) == ["qkv.weight", "qkv.bias", "proj.weight", "proj.bias"])
        #expect(attn.qkv.weight.shape == [24, 8] && attn.proj.weight.shape == [8, 8])
        #expect(attn.parameterCount == 4 * 8 * 8 + 4 * 8)  // (3C² + 3C) + (C² + C)
        let model = TinyModel(rng: &rng)
        let names = model.namedParameters().map(\.name)
        #expect(names.contains("blocks.0.attn.qkv.weight"))
        #expect(names.contains("blocks.1.attn.proj.bias"))
        #expect(names.contains("blocks.1.ln_1.weight"))
        #expect(model.parameterCount == 2 * (2 * 4 + 4 * 4 * 4 + 4 * 4))
    }

    // MARK: Dropout

    @Test func dropoutActsOnlyInTraining() {
        let drop = Dropout(0.25, seed: 29)
        let x = Tensor.ones([4000])
        #expect(drop.isTraining)
        let y = drop(x).values
        // Survivors are scaled by 1/(1 − p); the dropped fraction has standard error
        // √(0.25·0.75/4000) ≈ 0.007, so ±0.03 is over 4 errors.
        #expect(y.allSatisfy { $0 == 0 || abs($0 - 4.0 / 3) < 1e-6 })
        let dropped = Double(y.filter { $0 == 0 }.count) / 4000
        #expect(abs(dropped - 0.25) < 0.03)
        // eval() reaches dropout inside a container and makes it the identity.
        var rng = RNG(seed: 30)
        let model = Sequential(Linear(4, 4, rng: &rng), drop)
        model.eval()
        #expect(!drop.isTraining)
        #expect(drop(x).values == x.values)
        let h = randomTensor([3, 4], seed: 31, requiresGrad: false)
        #expect(model(h).values == model.layers[0](h).values)
        model.train()
        #expect(drop(x).values.contains(0))
    }
}
