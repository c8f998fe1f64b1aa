import Engine
import Testing
@testable import Diffusion

@Suite("Samplers")
struct SamplerTests {
    /// The true noise for a batch whose clean data is `x0`: ε = (x_t − √ᾱ_t x_0)/√(1 − ᾱ_t).
    func oracle(_ s: NoiseSchedule, _ x0: Tensor) -> NoisePredictor {
        { xt, t in
            let a = s.perRow(t.map { s.alphaBars[$0].squareRoot() }, like: xt)
            let b = s.perRow(t.map { 1 / (1 - s.alphaBars[$0]).squareRoot() }, like: xt)
            return (xt - x0 * a) * b
        }
    }

    /// With the true noise, x̂_0 is exact at every step, so the last step lands on x_0. The error
    /// left is rounding: x̂_0 at t = 0 divides by √ᾱ_0 ≈ 1 and the inputs are O(1), so a few ulps.
    @Test func oracleRecoversTheData() {
        let x0 = Tensor(shape: [4, 2], values: [1, -1, 0.5, 2, -1.5, 0, 0.25, -0.75])
        for s in [NoiseSchedule.linear(steps: 200), NoiseSchedule.cosine(steps: 200)] {
            var rng = RNG(seed: 1)
            let ddpm = DDPMSampler(schedule: s).sample(shape: [4, 2], rng: &rng, predictor: oracle(s, x0))
            #expect(maxDiff(ddpm, x0) < 1e-4, "DDPM \(s.kind)")
            let ddim = DDIMSampler(schedule: s, steps: 10, eta: 1).sample(shape: [4, 2], rng: &rng, predictor: oracle(s, x0))
            #expect(maxDiff(ddim, x0) < 1e-4, "DDIM \(s.kind)")
        }
    }

    /// A predictor that says "no noise" leaves no way to reach x_0: the check above can fail.
    @Test func wrongPredictorDoesNotRecoverTheData() {
        let s = NoiseSchedule.linear(steps: 200)
        let x0 = Tensor(shape: [4, 2], values: [1, -1, 0.5, 2, -1.5, 0, 0.25, -0.75])
        var rng = RNG(seed: 1)
        let out = DDPMSampler(schedule: s).sample(shape: [4, 2], rng: &rng) { xt, _ in Tensor.zeros(xt.shape) }
        #expect(maxDiff(out, x0) > 0.1)
    }

    @Test func ddimWithZeroEtaIsDeterministic() {
        let s = NoiseSchedule.linear()
        let sampler = DDIMSampler(schedule: s, steps: 20, eta: 0)
        #expect(sampler.timesteps.first == 999 && sampler.timesteps.last == 0 && sampler.timesteps.count == 20)
        #expect(zip(sampler.timesteps, sampler.timesteps.dropFirst()).allSatisfy { $0 > $1 })
        var r0 = RNG(seed: 5)
        let start = Tensor.randn([8, 2], rng: &r0)
        let model: NoisePredictor = { xt, t in xt.scaled(0.3 + Float(t[0]) / 2000) }
        var r1 = RNG(seed: 100), r2 = RNG(seed: 200)
        let a = sampler.sample(shape: [8, 2], start: start, rng: &r1, predictor: model)
        let b = sampler.sample(shape: [8, 2], start: start, rng: &r2, predictor: model)
        #expect(a.values == b.values)
        // With eta = 1 fresh noise enters, so different generators give different samples.
        let noisy = DDIMSampler(schedule: s, steps: 20, eta: 1)
        var r3 = RNG(seed: 100), r4 = RNG(seed: 200)
        let c = noisy.sample(shape: [8, 2], start: start, rng: &r3, predictor: model)
        let d = noisy.sample(shape: [8, 2], start: start, rng: &r4, predictor: model)
        #expect(c.values != d.values)
    }

    /// DDPM's step adds noise of exactly the posterior standard deviation: with a predictor whose
    /// x̂_0 is fixed, the spread of x_{t−1} over many draws is √β̃_t (5 standard errors).
    /// One DDIM jump with η = 1, against its formula evaluated here in Double with the same
    /// fresh noise z: x_s = √ᾱ_s·x̂_0 + √(1 − ᾱ_s − σ²)·ε̂ + σ·z. From t = 40 to s = 20 of a linear
    /// 100-step schedule σ² is about three quarters of 1 − ᾱ_s, so dropping σ² from the direction
    /// term moves each element by about 0.1·|ε̂| (at least 0.005 here), far above the float32
    /// rounding of these O(1) terms (a few 1e-7; the tolerance is 1e-5).
    @Test func ddimStepWithEtaOneFollowsItsFormula() {
        let s = NoiseSchedule.linear(steps: 100)
        let sampler = DDIMSampler(schedule: s, steps: 5, eta: 1)
        let xt = Tensor(shape: [2, 3], values: [0.5, -1.25, 2, 0.75, -0.3, 1.1])
        let eps = Tensor(shape: [2, 3], values: [0.2, 0.9, -1.4, -0.6, 1.3, 0.05])
        let t = 40, earlier = 20
        var rng = RNG(seed: 12), copy = RNG(seed: 12)
        let x = sampler.step(xt, t: t, to: earlier, predictedNoise: eps, rng: &rng).values
        let z = Tensor.randn([2, 3], rng: &copy).values
        let aT = s.alphaBars[t], aS = s.alphaBars[earlier]
        let sigma = ((1 - aS) / (1 - aT)).squareRoot() * (1 - aT / aS).squareRoot()
        #expect(sigma * sigma > 0.5 * (1 - aS))
        for i in 0..<6 {
            let e = Double(eps.values[i])
            let x0 = (Double(xt.values[i]) - (1 - aT).squareRoot() * e) / aT.squareRoot()
            let expected = aS.squareRoot() * x0 + (1 - aS - sigma * sigma).squareRoot() * e + sigma * Double(z[i])
            #expect(abs(Double(x[i]) - expected) < 1e-5, "element \(i)")
        }
    }

    @Test func ddpmStepNoiseHasPosteriorVariance() {
        let s = NoiseSchedule.linear()
        let n = 20_000, t = 300
        let xt = Tensor.zeros([n, 1])
        var rng = RNG(seed: 9)
        let next = DDPMSampler(schedule: s).step(xt, t: t, predictedNoise: Tensor.zeros([n, 1]), rng: &rng).values.map(Double.init)
        let mean = next.reduce(0, +) / Double(n)
        let variance = next.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        let expected = s.posteriorVariance(t)
        #expect(abs(variance - expected) < 5 * expected * (2 / Double(n - 1)).squareRoot())
    }

    @Test func clippingKeepsTheDataRange() {
        let s = NoiseSchedule.linear(steps: 100)
        var rng = RNG(seed: 2)
        // A predictor that claims the noise points the wrong way drives x̂_0 far outside ±1.
        let out = DDPMSampler(schedule: s, clipDenoised: 1).sample(shape: [16, 1], rng: &rng) { xt, _ in xt.scaled(-3) }
        #expect(out.values.allSatisfy { abs($0) <= 1 + 1e-5 })
    }

    /// With η = 0 the last DDIM jump returns x̂_0 itself, so per-channel clamping must leave each
    /// channel inside its own range; with one range per channel equal to the symmetric clip, it
    /// must give the symmetric clip's bits.
    @Test func ddimPerChannelClampKeepsEachChannelInItsRange() {
        let s = NoiseSchedule.cosine(steps: 100)
        let ranges: [ClosedRange<Float>] = [-0.5...2, -3 ... -1]
        let wrong: NoisePredictor = { xt, _ in xt.scaled(-3) }
        var rng = RNG(seed: 4)
        let out = DDIMSampler(schedule: s, steps: 10, channelRanges: ranges).sample(shape: [8, 2, 3], rng: &rng, predictor: wrong)
        for (i, v) in out.values.enumerated() {
            let r = ranges[(i / 3) % 2]
            #expect(v >= r.lowerBound - 1e-5 && v <= r.upperBound + 1e-5)
        }
        var a = RNG(seed: 6), b = RNG(seed: 6)
        let symmetric = DDIMSampler(schedule: s, steps: 10, clipDenoised: 0.7).sample(shape: [4, 2, 3], rng: &a, predictor: wrong)
        let perChannel = DDIMSampler(schedule: s, steps: 10, channelRanges: [-0.7...0.7, -0.7...0.7]).sample(shape: [4, 2, 3], rng: &b, predictor: wrong)
        #expect(symmetric.values == perChannel.values)
    }

    func maxDiff(_ a: Tensor, _ b: Tensor) -> Float { zip(a.values, b.values).reduce(0) { max($0, abs($1.0 - $1.1)) } }
}
