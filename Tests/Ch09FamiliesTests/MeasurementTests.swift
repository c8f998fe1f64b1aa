import Ch05Diffusion
import Ch09Families
import Diffusion
import Testing

/// The chapter's measurements on hand-made inputs: mode counting, success, precision/recall,
/// the verdict rule.
@Suite struct MeasurementTests {
    /// Four modes at (±1, ±1), σ = 0.1, 40 crafted samples: 10 exactly on (1, 1), 10 at 0.2 from
    /// (−1, 1) (inside 3σ = 0.3), 10 at 0.5 from (1, −1) (outside), 10 at the origin (outside, the
    /// classic between-modes sample). So 20 high-quality samples, 2 modes covered (the covering
    /// threshold is ⌈0.1·40/4⌉ = 1 sample), and with 90 % of 4 modes = 4 the run is no success.
    @Test func modeCountingOnCraftedSamples() {
        let modes: [(x: Float, y: Float)] = [(1, 1), (-1, 1), (1, -1), (-1, -1)]
        var xy: [Float] = []
        for _ in 0..<10 { xy += [1, 1] }
        for _ in 0..<10 { xy += [-0.8, 1] }
        for _ in 0..<10 { xy += [1.5, -1] }
        for _ in 0..<10 { xy += [0, 0] }
        let r = modeReport(samples: xy, modes: modes, std: 0.1)
        #expect(r.highQuality == 20 && r.covered == 2 && r.perMode == [10, 10, 0, 0])
        #expect(successThreshold(modes: 4) == 4)
    }

    /// ⌈0.9·k⌉ for the chapter's mode counts and a few others.
    @Test func successThresholds() {
        #expect(successThreshold(modes: 8) == 8)
        #expect(successThreshold(modes: 25) == 23)
        #expect(successThreshold(modes: 10) == 9)
        #expect(successThreshold(modes: 20) == 18)
        #expect(successThreshold(modes: 11) == 10)
    }

    /// A set compared with itself covers itself exactly (every point is the centre of its own
    /// ball): precision = recall = 1. Two sets 100 apart, far beyond any k-NN radius inside each,
    /// share nothing: precision = recall = 0.
    @Test func precisionRecallOnCraftedSets() {
        var a: [Float] = []
        for i in 0..<20 { a += [Float(i % 5), Float(i / 5)] }
        let same = PrecisionRecall(real: a, generated: a, dimension: 2, k: 3)
        #expect(same.precision == 1 && same.recall == 1)
        let far = a.map { $0 + 100 }
        let apart = PrecisionRecall(real: a, generated: far, dimension: 2, k: 3)
        #expect(apart.precision == 0 && apart.recall == 0)
        // Generated = the real set plus its far copy: half the generated points are real ones
        // (precision 1/2), and every real point is the centre of a generated ball (recall 1).
        let half = PrecisionRecall(real: a, generated: a + far, dimension: 2, k: 3)
        #expect(half.precision == 0.5 && half.recall == 1)
    }

    /// The first checkpoint at which a curve reaches a count.
    @Test func firstReach() {
        #expect(firstStep(reaching: 8, steps: [10, 20, 30], modes: [3, 8, 7]) == 20)
        #expect(firstStep(reaching: 9, steps: [10, 20, 30], modes: [3, 8, 7]) == nil)
    }

    /// Mean and spread by hand: (1, 2, 3, 4) has mean 2.5 and sample sd √(5/3) = 1.290994.
    @Test func meanAndSpreadHandValues() {
        let s = meanAndSpread([1, 2, 3, 4])
        #expect(s.mean == 2.5 && abs(s.spread - 1.290994) < 1e-6)
        #expect(meanAndSpread([7]).spread == 0)
    }

    /// Diffusion (10, 10, 10) against others (5, 5, 5) and (9, 9, 11): the strongest rival has mean
    /// 9.67 and sd 1.155, so the gap 0.33 is within 2·SE = 2·√(1.333/3) = 1.33: no clear
    /// difference. Against (5, 5, 5) alone the gap of 5 is far beyond 2·SE = 0: supported. With
    /// lower-is-better the same numbers say diffusion loses to (5, 5, 5): not supported.
    @Test func verdictRule() {
        let d: [Double] = [10, 10, 10]
        let tie = Verdict.decide(diffusion: d, others: [[5, 5, 5], [9, 9, 11]], higherIsBetter: true)
        #expect(tie.verdict == .tie && tie.rival == 1)
        #expect(Verdict.decide(diffusion: d, others: [[5, 5, 5]], higherIsBetter: true).verdict == .supported)
        #expect(Verdict.decide(diffusion: d, others: [[5, 5, 5]], higherIsBetter: false).verdict == .notSupported)
    }
}

/// Modes lost: (3, 5, 4, 6, 2, 2) drops by 1 and by 4, so 5; a rising curve loses none.
@Test func modesLostHandValue() {
    #expect(modesLost([3, 5, 4, 6, 2, 2]) == 5)
    #expect(modesLost([1, 2, 3]) == 0)
    #expect(modesLost([]) == 0)
}
