import Engine
import Foundation
import Models
import Testing

/// The GAN losses against values worked out by hand, and their gradients against finite differences.
@Suite struct GANLossTests {
    /// softplus(0) = log 2; softplus(2) = log(1 + e²) = 2.126928; softplus(−2) = log(1 + e⁻²) = 0.126928;
    /// and at ±40 the naive form would overflow e⁴⁰ in float32, while the answer is 40 and ~4e-18.
    @Test func softplusHandValues() {
        let y = GANLoss.softplus(Tensor([0, 2, -2, 40, -40])).values
        #expect(abs(y[0] - 0.693147) < 1e-6)
        #expect(abs(y[1] - 2.126928) < 1e-5)
        #expect(abs(y[2] - 0.126928) < 1e-6)
        #expect(y[3] == 40)
        #expect(y[4] >= 0 && y[4] < 1e-15)
    }

    /// Real logits (0, 2), fake logits (0, −1):
    /// D loss = mean(softplus(0), softplus(−2)) + mean(softplus(0), softplus(−1))
    ///        = (0.693147 + 0.126928)/2 + (0.693147 + 0.313262)/2 = 0.913242;
    /// non-saturating G loss = mean(softplus(0), softplus(1)) = (0.693147 + 1.313262)/2 = 1.003204;
    /// minimax G loss = −mean(softplus(0), softplus(−1)) = −0.503204.
    @Test func lossesHandValues() {
        let real = Tensor([0, 2]), fake = Tensor([0, -1])
        #expect(abs(GANLoss.discriminator(realLogits: real, fakeLogits: fake).item() - 0.913242) < 1e-5)
        #expect(abs(GANLoss.generatorNonSaturating(fakeLogits: fake).item() - 1.003204) < 1e-5)
        #expect(abs(GANLoss.generatorMinimax(fakeLogits: fake).item() + 0.503204) < 1e-5)
    }

    /// The reason for the non-saturating loss, in numbers: for a fake the discriminator rejects
    /// with logit −8, the minimax loss's gradient is −σ(−8) ≈ −3.4e-4 per sample (nothing to learn
    /// from) while the non-saturating one's is −σ(8) ≈ −0.99966.
    @Test func nonSaturatingGradientDoesNotVanish() {
        let a = Tensor([-8], requiresGrad: true)
        GANLoss.generatorMinimax(fakeLogits: a).backward()
        let b = Tensor([-8], requiresGrad: true)
        GANLoss.generatorNonSaturating(fakeLogits: b).backward()
        let s8 = 1 / (1 + exp(-8.0))
        #expect(abs(Double(a.grad!.values[0]) + (1 - s8)) < 1e-6)
        #expect(abs(Double(b.grad!.values[0]) + s8) < 1e-5)
    }

    /// Gradients of all three losses with respect to the logits, against central differences
    /// (away from 0, where the relu-based softplus has its kink in each piece but not in the sum).
    @Test func gradientsMatchFiniteDifferences() {
        var rng = RNG(seed: 3)
        let real = Tensor((0..<6).map { _ in rng.uniform(0.2, 2) * (rng.uniform() < 0.5 ? -1 : 1) }, requiresGrad: true)
        let fake = Tensor((0..<6).map { _ in rng.uniform(0.2, 2) * (rng.uniform() < 0.5 ? -1 : 1) }, requiresGrad: true)
        let reports = gradientCheck([real, fake], step: 1e-2) { GANLoss.discriminator(realLogits: $0[0], fakeLogits: $0[1]) }
            + gradientCheck([fake], step: 1e-2) { GANLoss.generatorNonSaturating(fakeLogits: $0[0]) }
            + gradientCheck([fake], step: 1e-2) { GANLoss.generatorMinimax(fakeLogits: $0[0]) }
        for r in reports { #expect(r.passed, "\(r)") }
    }
}
