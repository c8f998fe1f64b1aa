import Testing
import Engine
@testable import Ch00Engine

/// Chapter 00's steps, checked directly.
@Suite struct Ch00StepsTests {
    @Test func threeWaysToDifferentiateAgree() {
        let ex = ScalarExample()
        let hand = ex.handGradients()
        let (loss, engine) = ex.engineGradients()
        let fd = ex.finiteDifferences()
        #expect(abs(Double(loss) - ex.forward().loss) < 1e-6)
        for i in 0..<3 {
            // Float32 engine vs Double hand: a handful of roundings of values O(1) → ~1e-6.
            #expect(abs(Double(engine[i]) - hand[i]) < 1e-5 * max(1, abs(hand[i])))
            // Double central difference with h = 1e-5: truncation ~h²·L‴ ≈ 1e-10, rounding ~1e-16/h ≈ 1e-11.
            #expect(abs(fd[i] - hand[i]) < 1e-8)
        }
        // A wrong chain rule (forgetting tanh's derivative) would be far off.
        #expect(abs(hand[0] - 2 * (ex.forward().a - ex.y) * ex.x1) > 1e-2)
    }

    @Test func everyOpPassesTheGradientSurvey() {
        let rows = gradientSurvey(seed: 3)
        #expect(rows.count >= 12)
        for row in rows { #expect(row.worstRatio <= 1, "\(row.op): \(row.worstRatio) of tolerance") }
    }

    @Test func mlpSeparatesTheMoons() throws {
        let result = try trainTwoMoons(.quick, seed: 0)
        #expect(result.testAccuracy >= 0.98)
        #expect(result.losses.last! < result.losses.first! / 10)
    }

    @Test func sameSeedSameBitsAfterTwentySteps() throws {
        var c = TwoMoonsConfig.quick
        c.steps = 20
        let a = try trainTwoMoons(c, seed: 11), b = try trainTwoMoons(c, seed: 11)
        #expect(a.losses == b.losses)
        for (p, q) in zip(a.model.parameters, b.model.parameters) { #expect(p.values == q.values) }
        let other = try trainTwoMoons(c, seed: 12)
        #expect(other.losses != a.losses)
    }

    @Test func sameResultForOneAndTwoThreads() throws {
        var c = TwoMoonsConfig.quick
        c.steps = 20
        let one = try Parallel.withThreads(1) { try trainTwoMoons(c, seed: 5) }
        let two = try Parallel.withThreads(2) { try trainTwoMoons(c, seed: 5) }
        #expect(one.losses == two.losses)
    }

    @Test func decisionGridIsAProbabilityMap() throws {
        var c = TwoMoonsConfig.quick
        c.steps = 50
        let r = try trainTwoMoons(c, seed: 1)
        let grid = decisionGrid(r.model, x: -1.5...2.5, y: -1...1.5, resolution: 8)
        #expect(grid.count == 64)
        #expect(grid.allSatisfy { $0 >= 0 && $0 <= 1 })
    }
}

/// Step 2b: the finite-difference error against the step size has the two regimes the text argues.
@Suite struct StepSizeTests {
    @Test func truncationShrinksAsHSquaredAndRoundingGrowsAsOneOverH() {
        let ex = ScalarExample()
        let e = ex.stepSizeErrors([1e-1, 1e-2, 1e-3, 1e-6, 1e-9])
        // Large h, Double: truncation dominates and falls as h²: ×100 per decade (±30 % for the
        // next Taylor term at h = 0.1).
        let ratio = e[0].doubleError / e[1].doubleError
        #expect(ratio > 70 && ratio < 130, "truncation ratio \(ratio)")
        // Small h, Float: rounding of L ≈ 0.18 to 2⁻²⁴ relative, divided by 2h, is ~1e-2 at h = 1e-6,
        // while at h = 1e-3 both errors are ~1e-5: the error must be far larger at the small step.
        #expect(e[3].floatError > 30 * e[2].floatError)
        // Double keeps 29 more bits, so at h = 1e-6 it is still accurate to ~1e-10.
        #expect(e[3].doubleError < 1e-8)
        // At h = 1e-9 rounding shows in Double too (2⁻⁵³·0.18/2e-9 ≈ 1e-8), but stays tiny against Float.
        #expect(e[4].doubleError < e[4].floatError / 1000)
    }
}
