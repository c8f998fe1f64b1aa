import Datasets
import Engine
import Testing
@testable import Ch05Diffusion

@Suite struct ModeCoverageTests {
    let modes: [(x: Float, y: Float)] = (0..<8).map { (Float($0) * 10, 0) }

    /// 100 samples on each of modes 0–5, 5 on mode 6 (below the 10%-of-fair-share bar of
    /// ⌈0.1 · 625/8⌉ = 8), none on mode 7, and 20 far from every mode.
    @Test func countsOnAKnownLayout() {
        var xy: [Float] = []
        for m in 0..<6 { for k in 0..<100 { xy += [modes[m].x + 0.01 * Float(k % 7), modes[m].y] } }
        for _ in 0..<5 { xy += [modes[6].x, 0.05] }
        for k in 0..<20 { xy += [5 + Float(k % 3), 3] }
        let r = modeReport(samples: xy, modes: modes, std: 0.1)
        #expect(r.total == 625)
        #expect(r.highQuality == 605)
        #expect(r.perMode == [100, 100, 100, 100, 100, 100, 5, 0])
        #expect(r.covered == 6)
        #expect(abs(r.highQualityShare - 605.0 / 625) < 1e-12)
    }

    /// The radius is 3σ: a point at 2.9σ is high quality, one at 3.1σ is not.
    @Test func radiusBoundary() {
        let r = modeReport(samples: [0.29, 0, 0, 0.31], modes: modes, std: 0.1, minimumShare: 0)
        #expect(r.highQuality == 1)
        #expect(r.perMode[0] == 1)
    }

    /// Real samples of the ring: all 8 modes covered and about 1 − e^(−4.5) = 98.9% within 3σ
    /// (the binomial standard error at n = 2500 is 0.2%, so 97.5% leaves a wide margin).
    @Test func realDataScoresTheCeiling() {
        var rng = RNG(seed: 3)
        let ring = Points2D.ring(2500, rng: &rng)
        let r = modeReport(samples: ring.coordinates, modes: ring.modes, std: ring.modeStd)
        #expect(r.covered == 8)
        #expect(r.highQualityShare > 0.975 && r.highQualityShare < 0.9975)
    }
}

@Suite struct ClassifierRatingTests {
    /// Four images: two confident 0s, one unsure 1, one confident 1; labels make 3 of 4 right.
    @Test func ratingOfKnownProbabilities() {
        let p: [[Float]] = [[0.95, 0.05, 0], [0.92, 0.08, 0], [0.4, 0.6, 0], [0.01, 0.99, 0]]
        let r = rate(p, threshold: 0.9, labels: [0, 0, 0, 1])
        #expect(r.classCounts == [2, 2, 0])
        #expect(r.confidentShare == 0.75)
        #expect(abs(r.classEntropyBits - 1) < 1e-12)
        #expect(r.accuracy == 0.75)
        #expect(rate(p).accuracy == nil)
    }

    @Test func correlationOfKnownLists() {
        #expect(abs(correlation([1, 2, 3, 4], [2, 4, 6, 8]) - 1) < 1e-12)
        #expect(abs(correlation([1, 2, 3, 4], [4, 3, 2, 1]) + 1) < 1e-12)
        #expect(abs(correlation([1, -1, 1, -1], [1, 1, -1, -1])) < 1e-12)
    }
}
