import Ch02Attention
import Engine
import Testing

/// The chapter's measurements that used to be computed inline: the √d sweep, position similarity
/// by distance, the varying sinusoidal features and the head-naming rule.
@Suite struct MeasurementTests {
    @Test func scoreSpreadGrowsAsSquareRootOfWidthAndScalingUndoesIt() {
        var rng = RNG(seed: 41)
        let rows = scaleSweep(widths: [4, 64, 512], trials: 400, keys: 16, rng: &rng)
        for r in rows {
            // q·k over random keys has standard deviation |q| ≈ √d; the spread over 16 keys (divided
            // by 16) averages ≈ 0.95·√d. 400 trials put the mean within a few % of that.
            let ratio = r.scoreSpread / Double(r.width).squareRoot()
            #expect(ratio > 0.85 && ratio < 1.02, "width \(r.width): spread/√d = \(ratio)")
        }
        // Unscaled, a wide model's softmax is nearly one-hot; scaled, it is as peaked as at d = 4.
        #expect(rows[2].largestWeightRaw > 0.9)
        #expect(abs(rows[2].largestWeightScaled - rows[0].largestWeightScaled) < 0.05)
        #expect(rows[2].largestWeightScaled < 0.6)
    }

    @Test func meanSimilarityAveragesThePairsAtTheChosenDistances() {
        let sims: [[Float]] = [[1, 0.5, 0.1], [0.5, 1, 0.3], [0.1, 0.3, 1]]
        #expect(abs(meanSimilarity(sims) { $0 == 1 } - 0.4) < 1e-7)      // (0.5 + 0.3) twice each / 4
        #expect(abs(meanSimilarity(sims) { $0 >= 2 } - 0.1) < 1e-7)
        #expect(meanSimilarity(sims) { $0 > 5 } == 0)
    }

    @Test func onlyTheFastSinusoidalClocksVaryOverAShortContext() {
        let table = sinusoidalPositions(count: 128, dim: 32)
        let varying = varyingFeatures(table, minRange: 0.5)
        // Pair i turns by 127·10000^(−i/16) radians over the table. sin columns vary by ≥ 0.5 while
        // that angle is ≥ asin(0.5) ≈ 0.52 (i ≤ 9); cos columns while 1 − cos ≥ 0.5, angle ≥ π/3 (i ≤ 8).
        let expected = (0..<16).flatMap { i -> [Int] in
            let angle = 127 * pow(10_000, -Double(i) / 16)
            return (angle >= asin(0.5) ? [2 * i] : []) + (angle >= Double.pi / 3 ? [2 * i + 1] : [])
        }
        #expect(varying == expected)
        #expect(varying.contains(0) && !varying.contains(31))
        #expect(varyingFeatures([[0, 1], [0.2, 1]], minRange: 0.1) == [0])
    }

    @Test func aHeadIsNamedOnlyWhenOnePatternClearlyLeads() {
        func scores(_ lifts: [Double]) -> [PatternScore] { lifts.map { PatternScore(weight: $0 + 0.1, uniform: 0.1) } }
        let patterns = AttentionPattern.all
        // Clear: lift 0.5 against a runner-up of 0.2.
        #expect(headName(scores([0.5, 0.2, 0, 0, 0, 0])) == patterns[0].name)
        // A near tie (0.01 apart) is not a label, however large the lifts.
        #expect(headName(scores([0.41, 0.42, 0, 0, 0, 0])) == nil)
        // Leading but too weak to call a habit.
        #expect(headName(scores([0, 0, 0, 0.15, 0, 0])) == nil)
        // The rule is adjustable.
        #expect(headName(scores([0, 0, 0, 0.15, 0, 0]), rule: HeadNamingRule(minimumLift: 0.1, minimumLead: 0.1)) == patterns[3].name)
    }

    @Test func theMostPatternedHeadsAreChosenByLargestLift() {
        func head(_ lift: Double) -> [PatternScore] { [PatternScore(weight: lift + 0.1, uniform: 0.1)] }
        let s = [[head(0.1), head(0.7)], [head(0.3), head(0.5)]]
        let chosen = mostPatternedHeads(s, count: 2)
        #expect(chosen.map { [$0.layer, $0.head] } == [[0, 1], [1, 1]])
    }
}
