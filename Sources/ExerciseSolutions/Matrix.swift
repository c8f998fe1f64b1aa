import Foundation

/// Small row-major matrix helpers the reference solutions share.

/// a [m × k] times b [k × n], row-major, as [m × n].
func matmul(_ a: [Double], _ b: [Double], _ m: Int, _ k: Int, _ n: Int) -> [Double] {
    var c = [Double](repeating: 0, count: m * n)
    for i in 0..<m { for p in 0..<k { let aip = a[i * k + p]; for j in 0..<n { c[i * n + j] += aip * b[p * n + j] } } }
    return c
}

/// The transpose of m [rows × columns], as [columns × rows].
func transpose(_ m: [Double], _ rows: Int, _ columns: Int) -> [Double] {
    var t = [Double](repeating: 0, count: m.count)
    for i in 0..<rows { for j in 0..<columns { t[j * rows + i] = m[i * columns + j] } }
    return t
}

/// log(1 + eᶻ) without overflow for large |z|.
func softplus(_ z: Double) -> Double { max(z, 0) + log1p(exp(-abs(z))) }

/// log Σ exp(v), shifted by the maximum.
func logSumExp(_ v: [Double]) -> Double {
    let m = v.max() ?? 0
    return m + log(v.reduce(0) { $0 + exp($1 - m) })
}
