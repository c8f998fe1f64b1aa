import Engine
import Foundation
import Testing
@testable import Models

/// The VAE's formulas against sampling, and the autoencoder's shapes and loss bookkeeping.
@Suite struct AutoencoderTests {
    /// KL(N(μ, σ²) ‖ N(0, 1)) estimated as the average of log q(z) − log p(z) over draws z ~ q.
    /// The estimate's standard error comes from the same draws, so the tolerance is argued, not tuned.
    @Test func klMatchesMonteCarloEstimate() throws {
        let mu: [Float] = [0.7, -1.2, 0.0], logVar: [Float] = [-0.5, 0.4, -2.0]
        let closed = gaussianKL(mean: Tensor(shape: [1, 3], values: mu), logVar: Tensor(shape: [1, 3], values: logVar)).item()
        var rng = RNG(seed: 11)
        let n = 200_000
        var sum = 0.0, sumSq = 0.0
        for _ in 0..<n {
            var logRatio = 0.0
            for j in 0..<3 {
                let sigma = exp(0.5 * Double(logVar[j]))
                let eps = Double(rng.normal())
                let z = Double(mu[j]) + sigma * eps
                // log q − log p for one coordinate; the ½·log 2π terms cancel.
                logRatio += (-log(sigma) - 0.5 * eps * eps) - (-0.5 * z * z)
            }
            sum += logRatio
            sumSq += logRatio * logRatio
        }
        let mean = sum / Double(n)
        let standardError = ((sumSq / Double(n) - mean * mean) / Double(n)).squareRoot()
        // Closed form by hand: ½·(0.59653 + 1.53182 + 1.13534) = 1.63184 nats.
        #expect(abs(Double(closed) - 1.631_84) < 1e-3)
        #expect(abs(mean - Double(closed)) < 4 * standardError)
        #expect(standardError < 0.01)
    }

    @Test func klIsZeroAtThePriorAndAveragesOverTheBatch() {
        let zero = gaussianKL(mean: .zeros([2, 4, 2, 2]), logVar: .zeros([2, 4, 2, 2])).item()
        #expect(zero == 0)
        // Two identical examples give the per-example value, not twice it.
        let one = gaussianKL(mean: Tensor(shape: [1, 2], values: [1, 0]), logVar: Tensor(shape: [1, 2], values: [0, 0])).item()
        let two = gaussianKL(mean: Tensor(shape: [2, 2], values: [1, 0, 1, 0]), logVar: .zeros([2, 2])).item()
        #expect(abs(one - 0.5) < 1e-6)
        #expect(abs(two - one) < 1e-6)
    }

    @Test func klGradientsMatchFiniteDifferences() {
        var rng = RNG(seed: 3)
        let mean = Tensor.randn([2, 3], rng: &rng, requiresGrad: true)
        let logVar = Tensor.randn([2, 3], std: 0.5, rng: &rng, requiresGrad: true)
        let reports = gradientCheck([mean, logVar]) { gaussianKL(mean: $0[0], logVar: $0[1]) }
        #expect(reports.allSatisfy { $0.passed })
    }

    /// Many draws from one Gaussian per coordinate: the sample mean and variance land within a few
    /// standard errors of μ and σ² (SE of the mean σ/√n, of the variance σ²·√(2/n)).
    @Test func reparameterisedSamplesHaveTheRightMeanAndVariance() {
        let n = 50_000
        let mus: [Float] = [1.5, -0.5], logVars: [Float] = [0.6, -1.4]
        var rng = RNG(seed: 5)
        for (mu, lv) in zip(mus, logVars) {
            let z = reparameterize(mean: .full([n], mu), logVar: .full([n], lv), noise: .randn([n], rng: &rng))
            let v = z.values.map(Double.init)
            let m = v.reduce(0, +) / Double(n)
            let variance = v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)
            let sigma2 = exp(Double(lv))
            #expect(abs(m - Double(mu)) < 4 * sigma2.squareRoot() / Double(n).squareRoot())
            #expect(abs(variance - sigma2) < 4 * sigma2 * (2 / Double(n)).squareRoot())
        }
    }

    /// ∂z/∂μ = 1 and ∂z/∂logVar = ½·σ·ε exactly, for the noise that was drawn.
    @Test func reparameterisationCarriesGradientsToMeanAndLogVariance() {
        let mean = Tensor(shape: [4], values: [0.1, -2, 3, 0.5], requiresGrad: true)
        let logVar = Tensor(shape: [4], values: [0, 1, -1, 0.3], requiresGrad: true)
        let noise = Tensor(shape: [4], values: [1, -0.5, 2, 0])
        let z = reparameterize(mean: mean, logVar: logVar, noise: noise)
        z.sum(axes: [0], keepDims: false).backward()
        #expect(mean.grad?.values == [1, 1, 1, 1])
        let expected = zip(logVar.values, noise.values).map { 0.5 * exp(0.5 * $0) * $1 }
        let got = logVar.grad?.values ?? []
        #expect(got.count == 4)
        for (g, e) in zip(got, expected) { #expect(abs(g - e) < 1e-6) }
    }

    @Test func encoderAndDecoderShapesFollowTheFactorFour() {
        let ae = Autoencoder(AutoencoderConfig(width: 8, latentChannels: 4), seed: 1)
        let x = Tensor.zeros([2, 3, 32, 32])
        let code = Tensor.noGrad { ae.encode(x) }
        #expect(code.mean.shape == [2, 4, 8, 8])
        #expect(code.logVar == nil)
        #expect(Tensor.noGrad { ae.decode(code.mean) }.shape == [2, 3, 32, 32])

        let vae = Autoencoder(AutoencoderConfig(width: 8, latentChannels: 3, variational: true), seed: 1)
        let rect = Tensor.zeros([1, 3, 16, 24])
        let vcode = Tensor.noGrad { vae.encode(rect) }
        #expect(vcode.mean.shape == [1, 3, 4, 6])
        #expect(vcode.logVar?.shape == [1, 3, 4, 6])
        #expect(Tensor.noGrad { vae.decode(vcode.mean) }.shape == [1, 3, 16, 24])

        let config = AutoencoderConfig(latentChannels: 4)
        #expect(config.latentShape(height: 32, width: 32) == [4, 8, 8])
        #expect(config.compressionRatio(height: 32, width: 32) == 12)
    }

    /// MACs counted by hand for width 8, latent 4 on a 32×32 image.
    @Test func costCountsMatchTheArchitecture() {
        let ae = Autoencoder(AutoencoderConfig(width: 8, latentChannels: 4), seed: 0)
        let enc = 3 * 8 * 9 * 1024 + 8 * 16 * 9 * 256 + 16 * 16 * 9 * 64 + 16 * 16 * 9 * 64 + 16 * 4 * 9 * 64
        let dec = 4 * 16 * 9 * 64 + 16 * 16 * 9 * 64 + 16 * 8 * 9 * 256 + 8 * 3 * 9 * 1024
        #expect(ae.forwardMACs(height: 32, width: 32) == enc + dec)
        // Every layer's output: conv/act pairs at 32, 16, 8, 8, then the code; decoder 8, 8, up 16, 16, act, up 32, out.
        let acts = 2 * 8 * 1024 + 2 * 16 * 256 + 2 * 16 * 64 + 2 * 16 * 64 + 4 * 64
            + 2 * 16 * 64 + 2 * 16 * 64 + 16 * 256 + 2 * 8 * 256 + 8 * 1024 + 3 * 1024
        #expect(ae.activationFloats(height: 32, width: 32) == acts)
    }

    @Test func lossCombinesReconstructionAndWeightedKL() {
        let vae = Autoencoder(AutoencoderConfig(width: 4, latentChannels: 2, variational: true), seed: 2)
        var data = RNG(seed: 9)
        let x = Tensor.uniform([3, 3, 8, 8], -1, 1, rng: &data)
        var a = RNG(seed: 4), b = RNG(seed: 4)
        let loss = vae.loss(x, klWeight: 0.5, rng: &a)
        // Recompute by hand with the same noise stream.
        let code = vae.encode(x)
        let z = vae.sampleLatent(code, rng: &b)
        let rec = mseLoss(vae.decode(z), x).item()
        let kl = gaussianKL(mean: code.mean, logVar: code.logVar!).item()
        #expect(abs(loss.reconstruction.item() - rec) < 1e-6)
        #expect(abs(loss.kl.item() - kl) < 1e-5)
        #expect(abs(loss.total.item() - (rec + 0.5 * kl / 192)) < 1e-5)
        #expect(kl > 0)
    }
}
