import Foundation
import Testing
@testable import Plot

struct TicksTests {
    /// True when the step is 1, 2 or 5 times a power of ten.
    func isOneTwoFive(_ step: Double) -> Bool {
        let m = step / pow(10, log10(step).rounded(.down))
        return [1.0, 2, 5, 10].contains { abs(m - $0) < 1e-9 }
    }

    @Test func linearTicksAreRoundValues() {
        #expect(Ticks.linear(from: 0, to: 1, count: 5) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(Ticks.linear(from: 0, to: 97, count: 6) == [0, 20, 40, 60, 80])
        #expect(Ticks.linear(from: -3.7, to: 12.2, count: 6) == [-2, 0, 2, 4, 6, 8, 10, 12])
        #expect(Ticks.linear(from: 0.0012, to: 0.0047, count: 5) == [0.0015, 0.002, 0.0025, 0.003, 0.0035, 0.004, 0.0045])
        for (lo, hi) in [(0.0, 1.0), (-3.7, 12.2), (1e-4, 3e-4), (1234.0, 98765.0), (-0.5, 0.5)] {
            let t = Ticks.linear(from: lo, to: hi, count: 6)
            #expect(t.count >= 3 && t.count <= 13, "\(lo)...\(hi): \(t)")
            #expect(t.allSatisfy { $0 >= lo && $0 <= hi })
            #expect(isOneTwoFive(t[1] - t[0]), "step of \(t)")
        }
    }

    @Test func labelsUseEnoughDecimalsAndTypographicMinus() {
        #expect(Ticks.labels([-0.5, 0, 0.5], step: 0.5) == ["−0.5", "0.0", "0.5"])
        #expect(Ticks.labels([0, 20, 40], step: 20) == ["0", "20", "40"])
        #expect(Ticks.labels([0, 2e5, 4e5], step: 2e5) == ["0", "2×10⁵", "4×10⁵"])
        #expect(Ticks.powerLabel(1e-3) == "10⁻³")
        #expect(Ticks.powerLabel(1) == "10⁰")
        #expect(Ticks.powerLabel(1000) == "10³")
    }

    @Test func logTicksArePowersOfTenWithMinorTicks() {
        let (major, minor) = Ticks.log10(from: 0.0008, to: 150)
        #expect(major == [1e-3, 1e-2, 1e-1, 1, 10, 100])
        for m in [2e-3, 9, 9e-4] { #expect(minor.contains { abs($0 - m) <= 1e-12 * m }, "minor \(m)") }
        #expect(minor.allSatisfy { $0 >= 0.0008 && $0 <= 150 })
        // Twenty decades: majors skip decades so labels do not crowd.
        let wide = Ticks.log10(from: 1e-10, to: 1e10, maxMajor: 8).major
        #expect(wide.count <= 11 && wide.contains(1))
    }

    @Test func rangesSkipNonFiniteAndHandleDegenerateData() {
        let r = AxisRange.auto([1, .nan, 3, .infinity], scale: .linear)
        #expect(r.lowerBound < 1 && r.lowerBound > 0.8 && r.upperBound > 3 && r.upperBound < 3.2)
        let constant = AxisRange.auto([5, 5, 5], scale: .linear)
        #expect(constant.lowerBound < 5 && constant.upperBound > 5)
        let zero = AxisRange.auto([0], scale: .linear)
        #expect(zero.lowerBound < 0 && zero.upperBound > 0)
        let log = AxisRange.auto([-1, 0, 10, 1000], scale: .log10)
        #expect(log.lowerBound < 10 && log.lowerBound > 5 && log.upperBound > 1000 && log.upperBound < 2000)
        #expect(AxisRange.auto([], scale: .linear) == 0...1)
    }

    @Test func axisTransformInvertsAndFlipsY() {
        let y = AxisTransform(scale: .log10, lower: 1, upper: 1000, pixelStart: 500, pixelEnd: 200)
        #expect(abs(y.pixel(10) - 400) < 1e-9)
        #expect(abs(y.value(atPixel: 300) - 100) < 1e-9)
        #expect(y.pixel(-1).isNaN)
    }

    /// A fixed step gives every multiple of it inside the range and nothing else: whole shots
    /// from −0.75 to 3.75 are 0, 1, 2 and 3 (the 1-2-5 rule would pick 0.5 at this span).
    @Test func fixedStepGivesMultiples() {
        #expect(Ticks.multiples(of: 1, from: -0.75, to: 3.75) == [0, 1, 2, 3])
        #expect(Ticks.multiples(of: 0.25, from: 0, to: 1) == [0, 0.25, 0.5, 0.75, 1])
        #expect(Ticks.multiples(of: 0, from: 0, to: 1).isEmpty)
    }
}
