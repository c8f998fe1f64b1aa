import Testing
@testable import Engine
/// The 16-lane exp and normal CDF against Double references, at the error bounds VectorMath.swift
/// states, and GELU/SiLU built on them against their Double formulas.
@Suite("VectorMathTests")
struct VectorMathTests {
    static let u = 1.0 / 16_777_216  // 2⁻²⁴, half an ulp at 1

    /// Runs a lane function over `xs`, 16 at a time (the tail padded with zeros).
    func lanes(_ xs: [Float], _ f: (SIMD16<Float>) -> SIMD16<Float>) -> [Float] {
        var out = [Float]()
        for i in stride(from: 0, to: xs.count, by: 16) {
            var v = SIMD16<Float>()
            for l in 0..<min(16, xs.count - i) { v[l] = xs[i + l] }
            let y = f(v)
            for l in 0..<min(16, xs.count - i) { out.append(y[l]) }
        }
        return out
    }

    /// Every 37th float from a to b, plus the endpoints: dense enough to cross every
    /// range-reduction step and polynomial branch many times.
    func grid(_ a: Float, _ b: Float, step: Float) -> [Float] {
        Array(stride(from: a, through: b, by: step)) + [a, b]
    }

    @Test("vexp is within 2·2⁻²⁴ relative of exp over its normal range; ±∞, 0 and NaN at the ends")
    func expAccuracy() {
        let xs = grid(-87, 88.7, step: 0.000_731)
        let ys = lanes(xs, vexp)
        var worst = 0.0
        for (x, y) in zip(xs, ys) {
            let ref = exp(Double(x))
            worst = max(worst, abs(Double(y) - ref) / ref)
        }
        #expect(worst <= 2 * Self.u, "worst \(worst / Self.u) u")
        let special = lanes([0, 89, 1000, -110, -.infinity, .infinity, .nan, 1], vexp)
        #expect(special[0] == 1 && special[1] == .infinity && special[2] == .infinity)
        #expect(special[3] == 0 && special[4] == 0 && special[5] == .infinity && special[6].isNaN)
        #expect(abs(Double(special[7]) - M_E) <= 2 * Self.u * M_E)
    }

    @Test("vnormalCDF: 8·2⁻²⁴ relative for x ≤ 0, 4·2⁻²⁴ for |x| < 1, 2·2⁻²⁴ absolute for x > 0")
    func normalCDFAccuracy() {
        let xs = grid(-13, 9, step: 0.000_37)
        let ys = lanes(xs, vnormalCDF)
        var left = 0.0, centre = 0.0, right = 0.0
        for (x, y) in zip(xs, ys) {
            let ref = 0.5 * erfc(-Double(x) / 2.0.squareRoot())
            let err = abs(Double(y) - ref)
            if x <= 0 && ref >= Double(Float.leastNormalMagnitude) { left = max(left, err / ref) }
            if abs(x) < 1 { centre = max(centre, err / ref) }
            if x > 0 { right = max(right, err) }
        }
        #expect(left <= 8 * Self.u, "left tail \(left / Self.u) u")
        #expect(centre <= 4 * Self.u, "centre \(centre / Self.u) u")
        #expect(right <= 2 * Self.u, "right \(right / Self.u) u")
        // Φ(−10) = 7.6·10⁻²⁴: the old ½·(1 + erf) form returned 0 here.
        let tail = lanes([-10, 0, .infinity, -.infinity, .nan], vnormalCDF)
        #expect(abs(Double(tail[0]) - 7.619_853_024_160_527e-24) <= 8 * Self.u * 7.62e-24)
        #expect(tail[1] == 0.5 && tail[2] == 1 && tail[3] == 0 && tail[4].isNaN)
    }

    @Test("GELU and SiLU forward and backward match their Double formulas on awkward sizes, same bits for 1 and 2 threads",
          arguments: [1, 7, 33, 127, 40_000])
    func activations(count: Int) throws {
        var results: [[UInt32]] = []
        for threads in [1, 2] {
            let x = randomTensor([count], seed: 8, std: 3)
            let xs = x.values
            let gelu = withThreads(threads) { x.gelu() }
            withThreads(threads) { gelu.sum().backward() }
            let dGelu = try #require(x.grad).values
            x.grad = nil
            let silu = withThreads(threads) { x.silu() }
            withThreads(threads) { silu.sum().backward() }
            let dSilu = try #require(x.grad).values
            var worst = [0.0, 0.0, 0.0, 0.0]
            for i in 0..<count {
                let v = Double(xs[i])
                let phi = 0.5 * erfc(-v / 2.0.squareRoot()), density = exp(-0.5 * v * v) / (2 * Double.pi).squareRoot()
                let s = 1 / (1 + exp(-v))
                // Scales: |x|·Φ + ulp-sized floors, so relative errors are measured where they matter.
                let refs = [v * phi, phi + v * density, v * s, s * (1 + v * (1 - s))]
                let scales = [abs(v) * phi, phi + abs(v) * density, abs(v) * s, s * (1 + abs(v) * (1 - s))]
                let got = [gelu.values[i], dGelu[i], silu.values[i], dSilu[i]]
                for k in 0..<4 where scales[k] > 1e-30 {
                    worst[k] = max(worst[k], abs(Double(got[k]) - refs[k]) / scales[k])
                }
            }
            // Φ's 8 u, one rounding for x·Φ; φ's exp 2 u plus three roundings; σ's exp 2 u plus two.
            #expect(worst[0] <= 10 * Self.u && worst[1] <= 16 * Self.u, "gelu \(worst.map { $0 / Self.u })")
            #expect(worst[2] <= 8 * Self.u && worst[3] <= 16 * Self.u, "silu \(worst.map { $0 / Self.u })")
            results.append((gelu.values + dGelu + silu.values + dSilu).map(\.bitPattern))
        }
        #expect(results[0] == results[1])
    }
}

