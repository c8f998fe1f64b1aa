/// How far a class histogram is from uniform: the total-variation distance
/// ½ Σ_c |n_c/N − 1/K| between the share of each of the K classes and 1/K.
///
/// 0 means every class holds exactly N/K images; the largest value, 1 − 1/K, means every image sits
/// in one class. A finite sample from a perfectly balanced source is not exactly uniform, so the
/// value for the same number of real images is the floor a generator can be compared with.
public func totalVariationFromUniform(_ counts: [Int]) -> Double {
    precondition(!counts.isEmpty, "totalVariationFromUniform: needs at least one class")
    let n = Double(counts.reduce(0, +)), k = Double(counts.count)
    guard n > 0 else { return 0 }
    return 0.5 * counts.reduce(0.0) { $0 + abs(Double($1) / n - 1 / k) }
}

/// Images per predicted class, counting only those whose top probability is at least `threshold`
/// (the confidently classified ones); the rest are left out rather than forced into a class.
public func confidentClassCounts(_ probabilities: [[Float]], threshold: Float) -> [Int] {
    let classes = probabilities.first?.count ?? 0
    var counts = [Int](repeating: 0, count: classes)
    for p in probabilities {
        guard let best = p.indices.max(by: { p[$0] < p[$1] }), p[best] >= threshold else { continue }
        counts[best] += 1
    }
    return counts
}
