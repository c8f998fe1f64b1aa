import Engine
import Testing
@testable import Ch01Tokens

@Suite struct PCATests {
    /// Points at ±3u₁, ±2u₂, ±1u₃ for a rotated orthonormal basis u: the covariance is
    /// (18 u₁u₁ᵀ + 8 u₂u₂ᵀ + 2 u₃u₃ᵀ) / 6, so the components are ±u₁, ±u₂, ±u₃ and the variances
    /// 3, 4/3, 1/3. Power iteration converges geometrically (ratio 4/9 at worst), so 500 steps
    /// reach machine precision; 1e-9 leaves room for rounding in the 3×3 products.
    @Test func recoversAKnownThreeDimensionalExample() {
        let s = 1 / 2.0.squareRoot(), t = 1 / 6.0.squareRoot(), r = 1 / 3.0.squareRoot()
        let u = [[s, s, 0], [t, -t, 2 * t], [r, -r, -r]]
        let scales = [3.0, 2, 1]
        var data: [[Double]] = []
        for (k, v) in u.enumerated() {
            data.append(v.map { $0 * scales[k] + 5 })   // shifted: the mean must be removed
            data.append(v.map { -$0 * scales[k] + 5 })
        }
        let p = pca(data, count: 3)
        let expected = [3.0, 4.0 / 3.0, 1.0 / 3.0]
        for k in 0..<3 {
            #expect(abs(p.variances[k] - expected[k]) < 1e-9)
            let dot = zip(p.components[k], u[k]).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(abs(abs(dot) - 1) < 1e-9, "component \(k) is not ±u\(k)")
        }
        #expect(abs(p.totalVariance - 14.0 / 3.0) < 1e-12)
        // Projections of the first point: (3, 0, 0) along the components (up to the sign of u₁).
        let x = p.project(data[0])
        #expect(abs(abs(x[0]) - 3) < 1e-9 && abs(x[1]) < 1e-9 && abs(x[2]) < 1e-9)
    }

    /// On random correlated data: components orthonormal, variances descending, and all of them
    /// together account for the whole variance (the trace).
    @Test func componentsAreOrthonormalAndOrdered() {
        var rng = RNG(seed: 2)
        let d = 6
        let mix = (0..<d).map { _ in (0..<d).map { _ in Double(rng.normal()) } }
        let data = (0..<200).map { _ -> [Double] in
            let z = (0..<d).map { _ in Double(rng.normal()) }
            return (0..<d).map { i in (0..<d).reduce(0) { $0 + mix[i][$1] * z[$1] } }
        }
        let p = pca(data, count: d, iterations: 3000)
        for a in 0..<d {
            for b in 0..<d {
                let dot = zip(p.components[a], p.components[b]).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(abs(dot - (a == b ? 1 : 0)) < 1e-9)
            }
        }
        for k in 1..<d { #expect(p.variances[k] <= p.variances[k - 1] + 1e-12) }
        #expect(abs(p.variances.reduce(0, +) - p.totalVariance) < 1e-9 * p.totalVariance)
        // The variance of the projected data along component 0 is its eigenvalue.
        let proj = data.map { p.project($0)[0] }
        let v = proj.reduce(0) { $0 + $1 * $1 } / Double(proj.count)
        #expect(abs(v - p.variances[0]) < 1e-9 * p.variances[0])
    }
}
