import Foundation

/// Reference solutions to chapter 04's exercises.
public enum Ch04 {
    /// N = √(C / 6k), D = k·N.
    public static func computeOptimal(flops: Double, tokensPerParameter: Double) throws -> (parameters: Double, tokens: Double) {
        let n = (flops / (6 * tokensPerParameter)).squareRoot()
        return (n, tokensPerParameter * n)
    }

    /// Ordinary least squares on (log x, log y).
    public static func fitPowerLaw(x: [Double], y: [Double]) throws -> (a: Double, b: Double) {
        let (intercept, slope) = line(x.map(log), y.map(log))
        return (exp(intercept), -slope)
    }

    /// A least-squares parabola in centred log₁₀ N, and its vertex.
    public static func isoFLOPOptimum(parameters: [Double], losses: [Double]) throws -> Double {
        let u = parameters.map(log10)
        let centre = u.reduce(0, +) / Double(u.count)
        let c = u.map { $0 - centre }
        // Normal equations S·coef = r with S[i][j] = Σ cⁱ⁺ʲ and r[i] = Σ cⁱ·loss.
        let s = (0...4).map { p in c.reduce(0) { $0 + pow($1, Double(p)) } }
        let r = (0...2).map { p in zip(c, losses).reduce(0) { $0 + pow($1.0, Double(p)) * $1.1 } }
        let m = [[s[0], s[1], s[2]], [s[1], s[2], s[3]], [s[2], s[3], s[4]]]
        let coef = solve3(m, r)
        return pow(10, centre - coef[1] / (2 * coef[2]))
    }

    /// Intercept and slope of the least-squares line through (x, y).
    static func line(_ x: [Double], _ y: [Double]) -> (Double, Double) {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        let cov = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let variance = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let slope = cov / variance
        return (my - slope * mx, slope)
    }

    /// A 3×3 linear system by Cramer's rule.
    static func solve3(_ m: [[Double]], _ r: [Double]) -> [Double] {
        func det(_ a: [[Double]]) -> Double {
            a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0])
        }
        let d = det(m)
        return (0..<3).map { col in det(m.indices.map { i in (0..<3).map { $0 == col ? r[i] : m[i][$0] } }) / d }
    }
}
