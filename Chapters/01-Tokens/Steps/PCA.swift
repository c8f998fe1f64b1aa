/// Step 7: principal components by power iteration on the covariance matrix.
///
/// The covariance C = XᵀX / n of centred data is symmetric and positive semi-definite, so its
/// eigenvectors are orthogonal and its eigenvalues are the variances along them. Repeatedly
/// multiplying a vector by C and normalising turns it toward the top eigenvector; removing that
/// direction's part (deflation: C ← C − λ v vᵀ) exposes the next one.
public struct PCAResult: Sendable {
    /// The mean subtracted before projecting.
    public var mean: [Double]
    /// Unit principal directions, largest variance first.
    public var components: [[Double]]
    /// Variance of the data along each component (the eigenvalues).
    public var variances: [Double]
    /// Total variance of the data (trace of C), for "explained" fractions.
    public var totalVariance: Double

    /// Coordinates of `x` along the components.
    public func project(_ x: [Double]) -> [Double] {
        components.map { c in zip(c, zip(x, mean)).reduce(0) { $0 + $1.0 * ($1.1.0 - $1.1.1) } }
    }

    /// Share of the total variance each component carries.
    public var explained: [Double] { variances.map { $0 / totalVariance } }
}

/// The top `count` principal components of the rows of `data`, each found by `iterations` power
/// steps from a fixed start (so the result is deterministic). Each component's sign is chosen so
/// its largest-magnitude entry is positive.
public func pca(_ data: [[Double]], count: Int, iterations: Int = 500) -> PCAResult {
    let n = data.count, d = data[0].count
    precondition(n > 1 && count <= d, "pca: need at least 2 rows and count ≤ \(d)")
    var mean = [Double](repeating: 0, count: d)
    for row in data { for j in 0..<d { mean[j] += row[j] } }
    mean = mean.map { $0 / Double(n) }
    var cov = [Double](repeating: 0, count: d * d)
    for row in data {
        for i in 0..<d {
            let xi = row[i] - mean[i]
            for j in 0..<d { cov[i * d + j] += xi * (row[j] - mean[j]) }
        }
    }
    cov = cov.map { $0 / Double(n) }
    let total = (0..<d).reduce(0) { $0 + cov[$1 * d + $1] }

    var components: [[Double]] = [], variances: [Double] = []
    for k in 0..<count {
        // A start that is not orthogonal to any eigenvector in practice, and the same every run.
        var v = (0..<d).map { 1 + 0.1 * Double(($0 * 7 + k * 3) % 11) }
        v = orthogonalized(v, against: components)
        for _ in 0..<iterations {
            var w = [Double](repeating: 0, count: d)
            for i in 0..<d { for j in 0..<d { w[i] += cov[i * d + j] * v[j] } }
            // Re-orthogonalising every step keeps rounding from leaking earlier components back in.
            w = orthogonalized(w, against: components)
            let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm == 0 { break }
            v = w.map { $0 / norm }
        }
        if let big = v.indices.max(by: { abs(v[$0]) < abs(v[$1]) }), v[big] < 0 { v = v.map { -$0 } }
        var lambda = 0.0
        for i in 0..<d { for j in 0..<d { lambda += v[i] * cov[i * d + j] * v[j] } }
        components.append(v)
        variances.append(lambda)
        for i in 0..<d { for j in 0..<d { cov[i * d + j] -= lambda * v[i] * v[j] } }
    }
    return PCAResult(mean: mean, components: components, variances: variances, totalVariance: total)
}

/// `v` minus its parts along the unit vectors `basis`, then scaled to unit length.
func orthogonalized(_ v: [Double], against basis: [[Double]]) -> [Double] {
    var w = v
    for b in basis {
        let dot = zip(w, b).reduce(0) { $0 + $1.0 * $1.1 }
        for i in w.indices { w[i] -= dot * b[i] }
    }
    let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return norm > 0 ? w.map { $0 / norm } : w
}
