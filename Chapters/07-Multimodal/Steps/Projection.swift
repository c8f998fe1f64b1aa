/// The rows of `x` ([n][d]) projected on their first two principal components: centre the rows,
/// then find the covariance's two leading eigenvectors by power iteration with deflation (in
/// Double, from a fixed start vector, so the result is reproducible). Each component's sign is
/// fixed so that its largest-magnitude coordinate is positive.
public func principalComponents2(_ x: [[Float]], iterations: Int = 300) -> (coords: [(Double, Double)], explained: (Double, Double)) {
    let n = x.count, d = x.first?.count ?? 0
    guard n > 1, d > 1 else { return (x.map { _ in (0, 0) }, (0, 0)) }
    var mean = [Double](repeating: 0, count: d)
    for r in x { for j in 0..<d { mean[j] += Double(r[j]) / Double(n) } }
    let c = x.map { r in (0..<d).map { Double(r[$0]) - mean[$0] } }
    var cov = [Double](repeating: 0, count: d * d)
    for r in c { for i in 0..<d { for j in 0..<d { cov[i * d + j] += r[i] * r[j] / Double(n - 1) } } }
    let total = (0..<d).reduce(0.0) { $0 + cov[$1 * d + $1] }
    var components: [[Double]] = [], values: [Double] = []
    for k in 0..<2 {
        var v = (0..<d).map { 1.0 + Double(($0 * 7 + k * 3) % 5) * 0.1 }
        var lambda = 0.0
        for _ in 0..<iterations {
            var w = [Double](repeating: 0, count: d)
            for i in 0..<d { for j in 0..<d { w[i] += cov[i * d + j] * v[j] } }
            let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0 else { break }
            lambda = norm
            v = w.map { $0 / norm }
        }
        let big = v.indices.max { abs(v[$0]) < abs(v[$1]) }!
        if v[big] < 0 { v = v.map { -$0 } }
        components.append(v)
        values.append(lambda)
        for i in 0..<d { for j in 0..<d { cov[i * d + j] -= lambda * v[i] * v[j] } }
    }
    let coords = c.map { r -> (Double, Double) in
        (zip(r, components[0]).reduce(0) { $0 + $1.0 * $1.1 }, zip(r, components[1]).reduce(0) { $0 + $1.0 * $1.1 })
    }
    return (coords, (values[0] / max(total, 1e-12), values[1] / max(total, 1e-12)))
}
