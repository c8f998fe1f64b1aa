import Engine
import Foundation
import Models
import Testing

/// The VAE's loss against a hand value, spectral normalisation against a known singular value,
/// and the FLOP and parameter counts against hand counts.
@Suite struct VAEAndSpectralTests {
    /// One example, D = 2, latent 1, s = 0.5, β = 0.5:
    /// reconstruction = ((1 − 0.5)² + (−1 − 0)²)/(2·0.25) + (2/2)·log(2π·0.25) = 2.5 + 0.451583 = 2.951583;
    /// KL with μ = 1, log σ² = 0: ½(1 + 1 − 1 − 0) = 0.5; total = 2.951583 + 0.5·0.5 = 3.201583.
    @Test func negativeELBOHandValue() {
        let loss = vaeNegativeELBO(x: Tensor(shape: [1, 2], values: [1, -1]), decoded: Tensor(shape: [1, 2], values: [0.5, 0]),
                                   mean: Tensor(shape: [1, 1], values: [1]), logVar: Tensor(shape: [1, 1], values: [0]),
                                   decoderStd: 0.5, beta: 0.5)
        #expect(abs(loss.reconstruction.item() - 2.951583) < 1e-5)
        #expect(abs(loss.kl.item() - 0.5) < 1e-6)
        #expect(abs(loss.total.item() - 3.201583) < 1e-5)
    }

    /// The batch is averaged: two copies of the same example give the same loss as one.
    @Test func negativeELBOAveragesTheBatch() {
        let one = vaeNegativeELBO(x: Tensor(shape: [1, 2], values: [1, -1]), decoded: Tensor(shape: [1, 2], values: [0.5, 0]),
                                  mean: Tensor(shape: [1, 1], values: [1]), logVar: Tensor(shape: [1, 1], values: [0.3]),
                                  decoderStd: 0.5, beta: 1).total.item()
        let two = vaeNegativeELBO(x: Tensor(shape: [2, 2], values: [1, -1, 1, -1]), decoded: Tensor(shape: [2, 2], values: [0.5, 0, 0.5, 0]),
                                  mean: Tensor(shape: [2, 1], values: [1, 1]), logVar: Tensor(shape: [2, 1], values: [0.3, 0.3]),
                                  decoderStd: 0.5, beta: 1).total.item()
        #expect(abs(one - two) < 1e-5)
    }

    /// W = [[3, 0], [0, 1]] (rows: outputs) has σ_max = 3. Starting from any u not orthogonal to
    /// the top singular vector, power iteration converges geometrically with ratio (1/3)² per step,
    /// so after 20 steps the estimate is exact to float precision, and the normalised layer maps
    /// (1, 0) to (1, 0) (bias zeroed): it stretches by σ/σ = 1.
    @Test func spectralNormFindsTheLargestSingularValue() {
        var rng = RNG(seed: 1)
        let layer = SpectralLinear(2, 2, rng: &rng)
        let w: [Float] = [3, 0, 0, 1]
        w.withUnsafeBufferPointer { layer.weight.storage.pointer.update(from: $0.baseAddress!, count: 4) }
        layer.bias.storage.pointer.update(repeating: 0, count: 2)
        var v = layer.powerIteration()
        for _ in 0..<20 { v = layer.powerIteration() }
        #expect(abs(layer.sigma(v: v).item() - 3) < 1e-5)
        layer.eval()
        let y = layer(Tensor(shape: [1, 2], values: [1, 0])).values
        #expect(abs(abs(y[0]) - 1) < 1e-5 && abs(y[1]) < 1e-5)
    }

    /// The gradient through W/σ(W) (u, v held fixed) against finite differences.
    @Test func spectralLinearGradient() {
        var rng = RNG(seed: 2)
        let layer = SpectralLinear(3, 2, rng: &rng)
        let v = layer.powerIteration()
        let x = Tensor.randn([4, 3], rng: &rng, requiresGrad: true)
        let reports = gradientCheck([x, layer.weight], step: 1e-2) { t in linear(t[0], t[1] / layer.u.matmul(t[1]).matmul(v), layer.bias) }
        for r in reports { #expect(r.passed, "\(r)") }
    }

    /// [2, 3, 1]: 2·3 + 3·1 = 9 multiply-accumulates, 9 + 3 + 1 = 13 parameters; 4 rows forward
    /// = 2·9·4 = 72 FLOPs, training = 3× that.
    @Test func mlpCostHandCounts() {
        #expect(MLPCost.forwardMACs([2, 3, 1]) == 9)
        #expect(MLPCost.parameters([2, 3, 1]) == 13)
        #expect(MLPCost.forwardFLOPs([2, 3, 1], rows: 4) == 72)
        #expect(MLPCost.trainingFLOPs([2, 3, 1], rows: 4) == 216)
        var rng = RNG(seed: 0)
        #expect(MLP([2, 3, 1], rng: &rng).parameterCount == 13)
    }
}
