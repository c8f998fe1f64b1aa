import Engine
import Foundation
import Testing
@testable import Diffusion

@Suite("Fréchet distance")
struct FrechetTests {
    func stats(_ rows: [[Float]]) -> FeatureStatistics {
        FeatureStatistics(features: rows.flatMap { $0 }, count: rows.count, dimension: rows[0].count)
    }

    @Test func statisticsByHand() {
        let s = stats([[1, 2], [3, 6], [5, 4]])
        #expect(s.mean == [3, 4])
        // deviations (−2,−2), (0,2), (2,0): Σ = [[8, 4], [4, 8]] / 2
        #expect(s.covariance == [4, 2, 2, 4])
    }

    @Test func identicalSetsAreAtZero() {
        var rng = RNG(seed: 1)
        let rows = (0..<50).map { _ in (0..<6).map { _ in rng.normal() } }
        #expect(frechetDistance(stats(rows), stats(rows)) < 1e-9)
    }

    /// For 2×2 matrices tr √M = √(tr M + 2√det M), and M = Σ₁^{1/2} Σ₂ Σ₁^{1/2} has tr M = tr(Σ₁Σ₂)
    /// and det M = det Σ₁ det Σ₂: an answer that needs no matrix square root at all.
    @Test func twoByTwoMatchesClosedForm() {
        var rng = RNG(seed: 2)
        let a = (0..<400).map { _ -> [Float] in let u = rng.normal(), v = rng.normal(); return [u, 0.8 * u + 0.3 * v] }
        let b = (0..<400).map { _ -> [Float] in let u = rng.normal(), v = rng.normal(); return [1 + 2 * u, -0.5 * u + v] }
        let sa = stats(a), sb = stats(b)
        let (p, q) = (sa.covariance, sb.covariance)
        let trProduct = p[0] * q[0] + p[1] * q[2] + p[2] * q[1] + p[3] * q[3]
        let dets = (p[0] * p[3] - p[1] * p[2]) * (q[0] * q[3] - q[1] * q[2])
        let cross = (trProduct + 2 * dets.squareRoot()).squareRoot()
        let meanTerm = pow(sa.mean[0] - sb.mean[0], 2) + pow(sa.mean[1] - sb.mean[1], 2)
        let expected = meanTerm + p[0] + p[3] + q[0] + q[3] - 2 * cross
        #expect(abs(frechetDistance(sa, sb) - expected) < 1e-9 * max(1, expected))
        #expect(abs(frechetDistance(sb, sa) - expected) < 1e-9 * max(1, expected))
    }

    /// Two Gaussians with the same eigenvectors: the distance is Σ (μ differences)² + Σ (σ₁ − σ₂)².
    @Test func commutingCovariances() {
        var rng = RNG(seed: 3)
        let n = 3000
        let a = (0..<n).map { _ in [rng.normal(), 2 * rng.normal(), 0.5 * rng.normal()] }
        let b = (0..<n).map { _ in [1 + 3 * rng.normal(), rng.normal(), 0.5 * rng.normal()] }
        let sa = stats(a), sb = stats(b)
        // The sample covariances are not exactly diagonal, so compare with the population answer
        // loosely: means (1)² and standard deviations (1−3)² + (2−1)² = 1 + 4 + 1 = 6, with sampling
        // error of a few percent at n = 3000.
        let d = frechetDistance(sa, sb)
        #expect(abs(d - 6) < 0.4)
    }
}
