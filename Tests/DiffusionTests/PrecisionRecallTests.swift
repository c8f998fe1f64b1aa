import Engine
import Testing
@testable import Diffusion

@Suite("Precision and recall in feature space")
struct PrecisionRecallTests {
    /// Points on a line where the k-th neighbour distances can be counted by hand.
    @Test func handCountedCase() {
        // Real: 0, 1, 2, 3 (1-D). With k = 1 each real ball has radius 1 (squared 1).
        // Generated: 0.5 (inside), 2.9 (inside), 10 and 10.5 (outside): precision 2/4.
        // Generated radii, k = 1: 0.5→2.9 is 2.4 away, 2.9→0.5 2.4, 10↔10.5 0.5.
        // Real points within those balls: 0 (|0−0.5| ≤ 2.4), 1, 2 (|2−2.9| ≤ 2.4), 3 → recall 1.
        let pr = PrecisionRecall(real: [0, 1, 2, 3], generated: [0.5, 2.9, 10, 10.5], dimension: 1, k: 1)
        #expect(pr.precision == 0.5)
        #expect(pr.recall == 1)
        // Shrinking the generated set to one cluster far away: nothing real is covered.
        let far = PrecisionRecall(real: [0, 1, 2, 3], generated: [10, 10.5, 11, 11.5], dimension: 1, k: 1)
        #expect(far.precision == 0 && far.recall == 0)
    }

    /// k-th neighbour distances against a brute-force sort.
    @Test func kthNeighbourMatchesSorting() {
        var rng = RNG(seed: 5)
        let d = 3, n = 40
        let x = (0..<(n * d)).map { _ in rng.normal() }
        for k in [1, 3, 7] {
            let fast = PrecisionRecall.kthNeighbourDistances(x, count: n, dimension: d, k: k)
            for i in 0..<n {
                let sorted = (0..<n).filter { $0 != i }.map { PrecisionRecall.squaredDistance(x, i, x, $0, dimension: d) }.sorted()
                #expect(fast[i] == sorted[k - 1])
            }
        }
    }

    /// Two samples of one Gaussian score high on both; a set collapsed onto one mode keeps its
    /// precision and loses recall; a shifted set loses precision.
    @Test func separatesQualityFromCoverage() {
        var rng = RNG(seed: 11)
        let d = 2, n = 300
        func cloud(_ count: Int, centre: Float, spread: Float) -> [Float] {
            (0..<(count * d)).map { _ in centre + spread * rng.normal() }
        }
        let real = cloud(n, centre: 0, spread: 1)
        let same = PrecisionRecall(real: real, generated: cloud(n, centre: 0, spread: 1), dimension: d)
        #expect(same.precision > 0.9 && same.recall > 0.9)
        let collapsed = PrecisionRecall(real: real, generated: cloud(n, centre: 0, spread: 0.1), dimension: d)
        #expect(collapsed.precision > 0.95 && collapsed.recall < 0.3)
        let shifted = PrecisionRecall(real: real, generated: cloud(n, centre: 6, spread: 1), dimension: d)
        #expect(shifted.precision < 0.05)
    }
}
