import Ch04Scaling
import Engine
import Testing

/// Step 2's fitter must recover a law it is given.
@Suite struct PowerLawFitTests {
    /// Points on L = 0.45 + 12·N^(−0.3) for N from 10³ to 10⁶: exact data, so a correct fitter
    /// recovers all three parameters to the precision of its search (golden section to ~1e-9 of
    /// the E range), far tighter than the 1e-3 asked here; a fitter with the sign of α flipped or
    /// E clamped at 0 would miss by 0.1 or more.
    @Test func freeFitRecoversExactParameters() {
        let n = (0..<8).map { pow(10, 3 + 3 * Double($0) / 7) }
        let loss = n.map { 0.45 + 12 * pow($0, -0.3) }
        let law = PowerLaw.fit(n: n, loss: loss)
        #expect(abs(law.e - 0.45) < 1e-3)
        #expect(abs(law.alpha - 0.3) < 1e-3)
        #expect(abs(law.a - 12) / 12 < 1e-2)
        #expect(law.rmse < 1e-5)
    }

    /// With E fixed at the true value the fit is a line on logs: exact to rounding.
    @Test func fixedFloorFitIsExact() {
        let n = [1e3, 3e3, 1e4, 3e4, 1e5]
        let loss = n.map { 0.456 + 5 * pow($0, -0.5) }
        let law = PowerLaw.fit(n: n, loss: loss, floor: 0.456)
        #expect(abs(law.alpha - 0.5) < 1e-9)
        #expect(abs(law.a - 5) < 1e-7)
        #expect(law.e == 0.456)
    }

    /// Noise of ±1 % on the loss (seeded) moves α by a few hundredths at most over two decades;
    /// the fixed-floor fit, with one parameter fewer, stays within 0.05.
    @Test func noisyDataGivesNearbyExponent() {
        var rng = RNG(seed: 3)
        let n = (0..<10).map { pow(10, 3 + 2 * Double($0) / 9) }
        let loss = n.map { (0.5 + 20 * pow($0, -0.4)) * (1 + 0.01 * (2 * Double(rng.uniform()) - 1)) }
        let law = PowerLaw.fit(n: n, loss: loss, floor: 0.5)
        #expect(abs(law.alpha - 0.4) < 0.05)
    }

    /// A parabola through exact points is recovered, and its vertex gives the IsoFLOP optimum.
    @Test func quadraticFitRecoversParabola() throws {
        let x = [3.0, 3.5, 4.0, 4.5, 5.0]
        let y = x.map { 1.2 - 0.8 * $0 + 0.1 * $0 * $0 }
        let p = try #require(quadraticFit(x: x, y: y))
        #expect(abs(p.c0 - 1.2) < 1e-8 && abs(p.c1 + 0.8) < 1e-8 && abs(p.c2 - 0.1) < 1e-9)
    }

    /// Approach 2 on exact synthetic IsoFLOP curves: at budget C the loss is a parabola in
    /// log10 N centred on N_opt(C) = 10^(2 + 0.5·log10(C/10⁶)), and D = C/6N. Since log D =
    /// log C − log 6N, the loss is then an exact parabola in log D too, with its minimum at
    /// C/(6·N_opt), so both exponents come out 0.5 to rounding. A budget whose sizes all lie above
    /// the optimum is not bracketed and must be left out rather than extrapolated.
    @Test func isoFLOPFitRecoversBothExponents() throws {
        func points(_ c: Double, sizes: [Double]) -> IsoFLOPPoints {
            let centre = 2 + 0.5 * log10(c / 1e6)
            return IsoFLOPPoints(budget: c, parameters: sizes, tokens: sizes.map { c / (6 * $0) },
                                 bits: sizes.map { 1 + 0.2 * pow(log10($0) - centre, 2) })
        }
        let sizes = [1e1, 1e2, 1e3, 1e4, 1e5]
        let fit = IsoFLOPFit([points(1e6, sizes: sizes), points(1e8, sizes: sizes), points(1e10, sizes: sizes),
                              points(1e12, sizes: [1e6, 1e7, 1e8])])
        #expect(fit.bracketed == 3)
        #expect(fit.optimalParameters[3] == nil && fit.optimalTokens[3] == nil)
        #expect(abs(try #require(fit.optimalParameters[1]) - 1e3) / 1e3 < 1e-9)
        #expect(abs(try #require(fit.a) - 0.5) < 1e-9)
        #expect(abs(try #require(fit.b) - 0.5) < 1e-9)
        // A parabola that opens downward has no minimum.
        #expect(bracketedMinimum(x: [1, 10, 100], bits: [1, 2, 1]) == nil)
    }

    /// With zero noise every bootstrap draw reproduces the fit; with a little noise the middle 95 %
    /// of draws still holds the true exponent (noise 0.002 bits on parabolas 0.2 deep moves a vertex
    /// by a few hundredths of a decade, far less than the interval's width).
    @Test func bootstrapIsCentredOnTheFit() throws {
        let budgets = [1e6, 1e7, 1e8, 1e9]
        let sizes = (0..<7).map { pow(10, 1 + Double($0) / 2) }
        let pts = budgets.map { c -> IsoFLOPPoints in
            let centre = 1.5 + 0.4 * log10(c / 1e6)
            return IsoFLOPPoints(budget: c, parameters: sizes, tokens: sizes.map { c / (6 * $0) },
                                 bits: sizes.map { 1 + 0.2 * pow(log10($0) - centre, 2) })
        }
        var rng = RNG(seed: 5)
        let exact = bootstrapExponents(pts, noise: 0, reps: 20, rng: &rng)
        #expect(exact.a.count == 20 && exact.a.allSatisfy { abs($0 - 0.4) < 1e-9 })
        let noisy = bootstrapExponents(pts, noise: 0.002, reps: 400, rng: &rng)
        #expect(noisy.a.count == 400)
        #expect(quantile(noisy.a, 0.025) < 0.4 && quantile(noisy.a, 0.975) > 0.4)
        #expect(quantile(noisy.a, 0.975) - quantile(noisy.a, 0.025) < 0.2)
    }

    /// Quantiles interpolate between order statistics: of 1…5, the median is 3 and the 0.1
    /// quantile is 1 + 0.4·(2 − 1) = 1.4.
    @Test func quantileInterpolates() {
        #expect(quantile([5, 1, 4, 2, 3], 0.5) == 3)
        #expect(abs(quantile([5, 1, 4, 2, 3], 0.1) - 1.4) < 1e-12)
        #expect(quantile([2, 7], 1) == 7)
    }
}

