import Engine
import Foundation
import Testing
@testable import Diffusion

@Suite("Forward process")
struct ForwardProcessTests {
    /// Iterating x_s = √α_s x_{s−1} + √β_s z up to step t must give the closed form's mean √ᾱ_t x_0
    /// and variance 1 − ᾱ_t. With n samples, the sample mean has standard error √(v/n) and the sample
    /// variance about v·√(2/(n−1)); both are checked at 5 standard errors.
    @Test(arguments: [10, 200, 700])
    func closedFormMatchesIteratedNoising(t: Int) {
        let s = NoiseSchedule.linear()
        let n = 20_000, x0: Float = 1.5
        var rng = RNG(seed: 11)
        var x = [Double](repeating: Double(x0), count: n)
        for step in 0...t {
            let a = s.alphas[step].squareRoot(), b = s.betas[step].squareRoot()
            for i in 0..<n { x[i] = a * x[i] + b * Double(rng.normal()) }
        }
        let expectedMean = s.alphaBars[t].squareRoot() * Double(x0), expectedVar = 1 - s.alphaBars[t]
        let mean = x.reduce(0, +) / Double(n)
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        #expect(abs(mean - expectedMean) < 5 * (expectedVar / Double(n)).squareRoot())
        #expect(abs(variance - expectedVar) < 5 * expectedVar * (2 / Double(n - 1)).squareRoot())

        // The tensor version, one draw per row, gives the same distribution.
        let noise = Tensor.randn([n, 1], rng: &rng)
        let xt = s.noised(Tensor.full([n, 1], x0), t: Array(repeating: t, count: n), noise: noise).values.map(Double.init)
        let m2 = xt.reduce(0, +) / Double(n)
        #expect(abs(m2 - expectedMean) < 5 * (expectedVar / Double(n)).squareRoot())
    }

    @Test func noisedUsesEachRowsTimestep() {
        let s = NoiseSchedule.cosine(steps: 100)
        let x0 = Tensor(shape: [2, 3], values: [1, 2, 3, -1, -2, -3])
        let noise = Tensor(shape: [2, 3], values: [0.5, 0, -0.5, 1, 1, 1])
        let xt = s.noised(x0, t: [5, 80], noise: noise)
        for (row, t) in [5, 80].enumerated() {
            let a = Float(s.alphaBars[t].squareRoot()), b = Float((1 - s.alphaBars[t]).squareRoot())
            for j in 0..<3 {
                #expect(abs(xt[row, j] - (a * x0[row, j] + b * noise[row, j])) < 1e-6)
            }
        }
        // predictedX0 inverts noised when given the true noise.
        let back = s.predictedX0(xt: xt, t: [5, 80], noise: noise)
        #expect(zip(back.values, x0.values).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    @Test func posteriorMeanUsesTheCoefficients() {
        let s = NoiseSchedule.linear()
        let x0 = Tensor(shape: [2, 1], values: [0.7, -0.2]), xt = Tensor(shape: [2, 1], values: [0.1, 1.3])
        let m = s.posteriorMean(x0: x0, xt: xt, t: [3, 600])
        for (row, t) in [3, 600].enumerated() {
            let c = s.posteriorCoefficients(t)
            #expect(abs(Double(m[row, 0]) - (c.x0 * Double(x0[row, 0]) + c.xt * Double(xt[row, 0]))) < 1e-6)
        }
    }

    /// A predictor that knows x_0 recovers the exact noise, so the loss is rounding only; one that
    /// always says zero pays E[ε²] = 1 (mean of n·d squared normals, standard error √(2/(n·d))).
    @Test func denoisingLossUsesTheNoiseItAdded() {
        let s = NoiseSchedule.linear()
        var data = RNG(seed: 3)
        let x0 = Tensor.randn([256, 2], rng: &data)
        var rng = RNG(seed: 4)
        let oracle = denoisingLoss(x0, schedule: s, rng: &rng) { xt, t in
            let a = s.perRow(t.map { s.alphaBars[$0].squareRoot() }, like: xt)
            let b = s.perRow(t.map { 1 / (1 - s.alphaBars[$0]).squareRoot() }, like: xt)
            return (xt - x0 * a) * b
        }
        #expect(oracle.item() < 1e-6)
        var rng2 = RNG(seed: 4)
        let zero = denoisingLoss(x0, schedule: s, rng: &rng2) { xt, _ in Tensor.zeros(xt.shape) }
        #expect(abs(zero.item() - 1) < 5 * (2.0 / 512).squareRoot())
    }

    @Test func timestepEmbeddingValues() {
        let e = timestepEmbedding([0, 7], dim: 8)
        #expect(e.shape == [2, 8])
        for j in 0..<4 {
            #expect(e[0, j] == 0 && e[0, 4 + j] == 1)
            let f = exp(-log(10_000.0) * Double(j) / 4)
            #expect(abs(Double(e[1, j]) - sin(7 * f)) < 1e-6 && abs(Double(e[1, 4 + j]) - cos(7 * f)) < 1e-6)
        }
    }
}
