import Foundation

/// Reference solutions to chapter 02's exercises.
public enum Ch02 {
    /// True strictly above the diagonal.
    public static func causalMask(_ t: Int) throws -> [Bool] {
        (0..<(t * t)).map { $0 % t > $0 / t }
    }

    /// Shift by the maximum, exponentiate, normalise.
    public static func stableSoftmax(_ scores: [Double]) throws -> [Double] {
        let m = scores.max() ?? 0
        let e = scores.map { exp($0 - m) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }

    /// softmax(q·kᵀ/√d, masked)·v.
    public static func attention(q: [Double], k: [Double], v: [Double], t: Int, d: Int, causal: Bool) throws -> [Double] {
        let scores = matmul(q, transpose(k, t, d), t, d, t).map { $0 / Double(d).squareRoot() }
        let mask = causal ? try causalMask(t) : [Bool](repeating: false, count: t * t)
        var weights: [Double] = []
        for i in 0..<t {
            let row = (0..<t).map { mask[i * t + $0] ? -Double.infinity : scores[i * t + $0] }
            weights += try stableSoftmax(row)
        }
        return matmul(weights, v, t, t, d)
    }
}
