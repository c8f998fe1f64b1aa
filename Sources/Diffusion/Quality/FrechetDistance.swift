/// The Fréchet (2-Wasserstein) distance between the Gaussians fitted to two feature sets:
/// ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}.
///
/// This is the formula behind FID (Heusel et al. 2017), there computed on Inception features; the
/// course computes it on the features of a classifier trained on its own data. The middle matrix
/// is symmetric, so both square roots come from symmetric eigendecompositions, which keeps the
/// result real and non-negative up to rounding. It is zero only when means and covariances agree.
public func frechetDistance(_ a: FeatureStatistics, _ b: FeatureStatistics) -> Double {
    precondition(a.dimension == b.dimension, "frechetDistance: dimensions \(a.dimension) and \(b.dimension) differ")
    let n = a.dimension
    var meanTerm = 0.0
    for j in 0..<n { meanTerm += (a.mean[j] - b.mean[j]) * (a.mean[j] - b.mean[j]) }
    var traces = 0.0
    for i in 0..<n { traces += a.covariance[i * n + i] + b.covariance[i * n + i] }
    let rootA = symmetricSquareRoot(a.covariance, size: n)
    let middle = multiply(multiply(rootA, b.covariance, n), rootA, n)
    var symmetric = middle
    for i in 0..<n { for j in 0..<n { symmetric[i * n + j] = (middle[i * n + j] + middle[j * n + i]) / 2 } }
    let (values, _) = symmetricEigen(symmetric, size: n)
    let crossTrace = values.reduce(0) { $0 + max($1, 0).squareRoot() }
    return max(meanTerm + traces - 2 * crossTrace, 0)
}

/// Row-major n×n product.
private func multiply(_ x: [Double], _ y: [Double], _ n: Int) -> [Double] {
    var out = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
        for k in 0..<n {
            let xik = x[i * n + k]
            if xik == 0 { continue }
            for j in 0..<n { out[i * n + j] += xik * y[k * n + j] }
        }
    }
    return out
}
