import Testing
@testable import Engine

/// The shared training loop against hand-computed runs of plain SGD on a quadratic.
@Suite struct TrainingLoopTests {
    /// Loss (w − 3)², gradient 2(w − 3): SGD with rate η maps w − 3 to (1 − 2η)(w − 3), so from
    /// w = 0 with η = 0.1 the loss before step k is 9·0.64ᵏ. Float32 rounding over five steps
    /// stays within a few ulps of these values; 1e-5 relative leaves room for that and fails for
    /// any wrong order (a curve recorded after the update would read 9·0.64ᵏ⁺¹).
    @Test func lossCurveMatchesClosedForm() throws {
        let w = Tensor([0], requiresGrad: true)
        let sgd = SGD([w], lr: 0.1)
        let curve = try trainingLoop(steps: 5, optimizer: sgd) { _ in
            let d = w - Tensor([3])
            return (d * d).sum()
        }
        #expect(curve.count == 5)
        for (k, value) in curve.enumerated() {
            let expected = 9 * Float(pow(0.64, Double(k)))
            #expect(abs(value - expected) <= 1e-5 * expected, "step \(k): \(value) vs \(expected)")
        }
        // w₅ − 3 = −3·0.8⁵.
        #expect(abs(w.item() - (3 - 3 * Float(pow(0.8, 5.0)))) < 1e-5)
    }

    /// The schedule sets the rate before each step: with a constant 0.5 the first step lands
    /// exactly on the minimum (w − 3 ← 0·(w − 3)), so the second loss is 0.
    @Test func scheduleSetsTheRateBeforeTheStep() throws {
        let w = Tensor([0], requiresGrad: true)
        let sgd = SGD([w], lr: 0)
        var seen: [Int] = []
        let curve = try trainingLoop(steps: 2, optimizer: sgd, schedule: .constant(0.5),
                                     afterStep: { step, _ in seen.append(step) }) { _ in
            let d = w - Tensor([3])
            return (d * d).sum()
        }
        #expect(curve == [9, 0])
        #expect(seen == [0, 1])
        #expect(sgd.learningRate == 0.5)
    }

    /// Clipping at norm 1 turns the gradient −6 into −6/(6 + 1e-6) (PyTorch's guard), so one SGD
    /// step of rate 1 moves w by 1 − 1.7e-7 (without clipping it would move by 6).
    @Test func clipLimitsTheGradientNorm() throws {
        let w = Tensor([0], requiresGrad: true)
        try trainingStep((w - Tensor([3])).pow(2).sum(), optimizer: SGD([w], lr: 1), step: 0, clip: 1)
        #expect(abs(w.item() - 1) < 1e-6)
    }

    /// A NaN loss stops the loop before any update, with the loss's name and the step.
    @Test func divergenceNamesTheStep() throws {
        let w = Tensor([1], requiresGrad: true)
        let sgd = SGD([w], lr: 0.1)
        do {
            try trainingLoop(steps: 5, optimizer: sgd, lossName: "toy loss") { step in
                step == 2 ? (w * Tensor([.nan])).sum() : (w * w).sum()
            }
            Issue.record("a NaN loss did not stop the loop")
        } catch let error as NonFiniteError {
            #expect(error.step == 2)
            #expect(error.tensor == "toy loss")
            #expect(error.description.contains("at step 2"))
        }
        // Two updates happened (w ← 0.8 w each), none after the NaN.
        #expect(abs(w.item() - 0.64) < 1e-6)
    }
}
