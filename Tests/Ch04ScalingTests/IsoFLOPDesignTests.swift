import Ch04Scaling
import Models
import Testing

/// Step 4's run design: every IsoFLOP run spends its budget, and its learning rate decays to the end.
@Suite struct IsoFLOPDesignTests {
    /// Warmup rises linearly to the peak; the cosine then falls to exactly a tenth of the peak at
    /// the last step, passing 0.55 × peak halfway (0.1 + 0.9·½·(1 + cos π/2)). Without decay the
    /// rate stays at the peak, so the size sweep's checkpoints are unaffected.
    @Test func cosineScheduleEndsAtATenthOfThePeak() {
        let plan = ScalingPlan.chapter(quick: true)
        var config = plan.run(plan.sizes[0], seed: 1)
        config.steps = 111; config.warmup = 10; config.learningRate = 0.02
        #expect(abs(config.learningRate(atStep: 0) - 0.002) < 1e-9)
        #expect(config.learningRate(atStep: 9) == 0.02)
        #expect(config.learningRate(atStep: 110) == 0.02)
        config.decayToEnd = true
        #expect(abs(config.learningRate(atStep: 10) - 0.02) < 1e-7)
        #expect(abs(config.learningRate(atStep: 60) - 0.011) < 1e-7)
        #expect(abs(config.learningRate(atStep: 110) - 0.002) < 1e-7)
    }

    /// Each run of the full plan trains for the tokens its budget allows: tokens × FLOPs per token
    /// is within half a step's FLOPs of the budget (steps are whole), with its schedule decayed.
    /// The windows are five consecutive sizes, at least four budgets, the design the issue asks for.
    @Test func everyRunSpendsItsBudget() {
        let plan = ScalingPlan.chapter(quick: false)
        let iso = plan.isoFLOP
        #expect(iso.budgets.count >= 4 && iso.windows.allSatisfy { $0.count >= 5 })
        for (budget, window) in zip(iso.budgets, iso.windows) {
            for k in window {
                let run = iso.run(budget: budget, size: k, plan: plan, seed: 1)
                let perStep = Double(plan.tokensPerStep) * trainingFLOPsPerToken(run.model)
                #expect(abs(run.trainingFLOPs - budget) <= perStep / 2 + 1)
                #expect(run.decayToEnd && run.checkpoints == [run.steps])
            }
        }
    }

    /// The envelope's stretches and reversals on a hand-made sequence of lowest sizes 0 0 1 0 2 2 3:
    /// five stretches, and one reversal (size 0 taking over from size 1, the third stretch).
    @Test func envelopeReversalsAreFound() {
        let owners = [0, 0, 1, 0, 2, 2, 3]
        let frontier = owners.enumerated().map { FrontierPoint(flops: Double($0.offset + 1), bits: 1, size: $0.element, margin: nil) }
        let stretches = envelopeStretches(frontier)
        #expect(stretches.map(\.size) == [0, 1, 0, 2, 3])
        #expect(stretches[3].from == 5 && stretches[3].to == 6)
        #expect(envelopeReversals(stretches) == [2])
    }

    /// The lower envelope takes the lowest curve where several cover a budget, and the margin to
    /// the next one: two straight curves in log tokens crossing at 10³ tokens.
    @Test func envelopeIsTheLowestCurve() throws {
        let a = LossCurve(parameters: 10, flopsPerToken: 1, tokens: [10, 10_000], bits: [2, 1])
        let b = LossCurve(parameters: 20, flopsPerToken: 1, tokens: [10, 10_000], bits: [3, 0.5])
        let env = computeFrontier([a, b], count: 4)   // budgets 10, 100, 1000, 10000
        #expect(env.map(\.size) == [0, 0, 0, 1] || env.map(\.size) == [0, 0, 1, 1])
        #expect(abs(try #require(env[0].margin) - 1) < 1e-9)
        #expect(abs(env[3].bits - 0.5) < 1e-9)
    }
}

/// Step 8's conversions, by hand.
@Suite struct ComputeBudgetTests {
    /// GPT-3's 3.14·10²³ FLOPs on one A100 at 40 % of 312 TFLOP/s: 3.14e23 / 1.248e14 / 86400 =
    /// 29,121 days. A year at 10¹⁰ FLOP/s is 3.15576·10¹⁷ FLOPs.
    @Test func conversionsMatchHandArithmetic() {
        let gpt3 = PublishedBudget.reference[0]
        #expect(gpt3.flops == 3.14e23)
        #expect(abs(Accelerator.a100.days(gpt3.flops) - 29_121.2) < 1)
        #expect(abs(years(3.15576e17, atRate: 1e10) - 1) < 1e-12)
        // Chinchilla counted as 6·N·D with N = 70·10⁹ and D = 1.4·10¹².
        #expect(abs(PublishedBudget.reference[1].flops - 5.88e23) / 5.88e23 < 1e-12)
    }
}
