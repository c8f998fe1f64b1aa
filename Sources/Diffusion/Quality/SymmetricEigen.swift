/// Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi rotations.
///
/// Each rotation zeroes one off-diagonal pair; sweeping over all pairs until the off-diagonal mass
/// is negligible converges quadratically. It is slow for big matrices (O(n³) per sweep) but simple,
/// accurate to rounding, and plenty for the ≤ 256-wide feature covariances the course compares.
/// Returns the eigenvalues and the eigenvectors as columns of a row-major n×n matrix.
func symmetricEigen(_ matrix: [Double], size n: Int) -> (values: [Double], vectors: [Double]) {
    var a = matrix
    var v = [Double](repeating: 0, count: n * n)
    for i in 0..<n { v[i * n + i] = 1 }
    let scale = a.reduce(0) { $0 + $1 * $1 }
    for _ in 0..<100 {
        var off = 0.0
        for i in 0..<n { for j in (i + 1)..<max(n, i + 1) { off += a[i * n + j] * a[i * n + j] } }
        if off <= 1e-30 * max(scale, 1e-300) { break }
        for p in 0..<n {
            for q in (p + 1)..<max(n, p + 1) {
                let apq = a[p * n + q]
                if apq == 0 { continue }
                let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0..<n {  // rotate columns p and q
                    let akp = a[k * n + p], akq = a[k * n + q]
                    a[k * n + p] = c * akp - s * akq
                    a[k * n + q] = s * akp + c * akq
                }
                for k in 0..<n {  // rotate rows p and q
                    let apk = a[p * n + k], aqk = a[q * n + k]
                    a[p * n + k] = c * apk - s * aqk
                    a[q * n + k] = s * apk + c * aqk
                }
                for k in 0..<n {
                    let vkp = v[k * n + p], vkq = v[k * n + q]
                    v[k * n + p] = c * vkp - s * vkq
                    v[k * n + q] = s * vkp + c * vkq
                }
            }
        }
    }
    return ((0..<n).map { a[$0 * n + $0] }, v)
}

/// The square root of a symmetric positive semi-definite matrix, V·diag(√λ)·Vᵀ, with eigenvalues
/// that rounding pushed slightly below zero treated as zero.
func symmetricSquareRoot(_ matrix: [Double], size n: Int) -> [Double] {
    let (values, vectors) = symmetricEigen(matrix, size: n)
    let roots = values.map { max($0, 0).squareRoot() }
    var out = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
        for j in 0..<n {
            var s = 0.0
            for k in 0..<n { s += vectors[i * n + k] * roots[k] * vectors[j * n + k] }
            out[i * n + j] = s
        }
    }
    return out
}
