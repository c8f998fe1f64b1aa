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

    /// N_opt ∝ C^a: curves built so the best size at budget C is exactly 10^(2.3 + 0.5·log10 C/10^6)
    /// give a = 0.5 from the IsoFLOP analysis.
    @Test func isoFLOPExponentFromSyntheticCurves() throws {
        // At budget C the loss of size N is a parabola in log10 N centred on log10 N_opt(C).
        let budgets = [1e6, 1e8, 1e10]
        let sizes = [1e2, 1e3, 1e4, 1e5, 1e6]
        let isos = budgets.map { c -> IsoFLOPCurve in
            let centre = 2 + 0.5 * log10(c / 1e6)
            let bits = sizes.map { 1 + 0.2 * pow(log10($0) - centre - 0.3, 2) }
            let p = quadraticFit(x: sizes.map(log10), y: bits)!
            return IsoFLOPCurve(flops: c, sizes: Array(0..<5), parameters: sizes, bits: bits, parabola: p,
                                optimalParameters: pow(10, -p.c1 / (2 * p.c2)))
        }
        let a = try #require(optimalSizeExponent(isos))
        #expect(abs(a - 0.5) < 1e-6)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
