import Foundation

/// Reference solutions to chapter 00's exercises (see the stubs in `Exercises` for the tasks).
public enum Ch00 {
    /// Central differences, one coordinate at a time.
    public static func centralDifference(_ f: ([Double]) -> Double, at x: [Double], h: Double) throws -> [Double] {
        x.indices.map { i in
            var plus = x, minus = x
            plus[i] += h
            minus[i] -= h
            return (f(plus) - f(minus)) / (2 * h)
        }
    }

    /// dx = g·W, dW = gᵀ·x, db = Σ rows of g.
    public static func linearBackward(x: [Double], w: [Double], upstream: [Double], n: Int, inFeatures: Int,
                                      outFeatures: Int) throws -> (dx: [Double], dw: [Double], db: [Double]) {
        let dx = matmul(upstream, w, n, outFeatures, inFeatures)
        let dw = matmul(transpose(upstream, n, outFeatures), x, outFeatures, n, inFeatures)
        var db = [Double](repeating: 0, count: outFeatures)
        for i in 0..<n { for j in 0..<outFeatures { db[j] += upstream[i * outFeatures + j] } }
        return (dx, dw, db)
    }

    /// The layer-norm backward with the two mean terms.
    public static func layerNormBackward(x: [Double], gamma: [Double], upstream: [Double],
                                         eps: Double) throws -> (dx: [Double], dgamma: [Double], dbeta: [Double]) {
        let n = Double(x.count)
        let mu = x.reduce(0, +) / n
        let variance = x.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / n
        let invStd = 1 / (variance + eps).squareRoot()
        let xHat = x.map { ($0 - mu) * invStd }
        let gHat = zip(upstream, gamma).map { $0 * $1 }
        let meanG = gHat.reduce(0, +) / n
        let meanGX = zip(gHat, xHat).reduce(0) { $0 + $1.0 * $1.1 } / n
        let dx = x.indices.map { (gHat[$0] - meanG - xHat[$0] * meanGX) * invStd }
        return (dx, zip(upstream, xHat).map { $0 * $1 }, upstream)
    }
}
