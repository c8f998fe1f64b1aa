/// Step 6: cosine similarity, nearest neighbours and what vector arithmetic recovers.

/// Vectors scaled to length 1 (a zero vector stays zero), so dot products are cosines.
public func normalizedRows(_ vectors: [[Double]]) -> [[Double]] {
    vectors.map { v in
        let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return n > 0 ? v.map { $0 / n } : v
    }
}

/// cos(a, b) = a·b / (|a| |b|).
public func cosine(_ a: [Double], _ b: [Double]) -> Double {
    var ab = 0.0, aa = 0.0, bb = 0.0
    for i in a.indices { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i] }
    return aa > 0 && bb > 0 ? ab / (aa * bb).squareRoot() : 0
}

/// The `count` rows of `unit` (unit vectors) most similar to `query`, excluding ids in `exclude`,
/// best first (ties by smaller id), with their cosines.
public func nearest(to query: [Double], in unit: [[Double]], count: Int, exclude: Set<Int> = []) -> [(id: Int, cosine: Double)] {
    let q = normalizedRows([query])[0]
    var scored: [(id: Int, cosine: Double)] = []
    for (i, u) in unit.enumerated() where !exclude.contains(i) {
        var s = 0.0
        for j in u.indices { s += q[j] * u[j] }
        scored.append((i, s))
    }
    scored.sort { $0.cosine != $1.cosine ? $0.cosine > $1.cosine : $0.id < $1.id }
    return Array(scored.prefix(count))
}

/// How often a category word's nearest neighbour (among every word of the vocabulary) is in the
/// same category, over all category words.
public struct NeighbourAgreement: Sendable {
    /// Words whose nearest neighbour shares their category.
    public var agreeing: Int
    /// Category words measured.
    public var total: Int
    /// Agreement per category: (name, agreeing, total).
    public var perCategory: [(name: String, agreeing: Int, total: Int)]
    /// agreeing / total.
    public var rate: Double { Double(agreeing) / Double(max(total, 1)) }
}

/// Measures `NeighbourAgreement` for `vectors` (one per word id) and `categories` (disjoint id lists).
public func neighbourAgreement(_ vectors: [[Double]], categories: [(name: String, ids: [Int])]) -> NeighbourAgreement {
    let unit = normalizedRows(vectors)
    var categoryOf: [Int: Int] = [:]
    for (c, cat) in categories.enumerated() { for id in cat.ids { categoryOf[id] = c } }
    var per: [(name: String, agreeing: Int, total: Int)] = []
    var agreeing = 0, total = 0
    for (c, cat) in categories.enumerated() {
        var good = 0
        for id in cat.ids {
            let best = nearest(to: unit[id], in: unit, count: 1, exclude: [id])[0].id
            if categoryOf[best] == c { good += 1 }
        }
        per.append((cat.name, good, cat.ids.count))
        agreeing += good
        total += cat.ids.count
    }
    return NeighbourAgreement(agreeing: agreeing, total: total, perCategory: per)
}

/// The mean of the unit vectors of `ids`.
public func centroid(_ unit: [[Double]], ids: [Int]) -> [Double] {
    var c = [Double](repeating: 0, count: unit[0].count)
    for id in ids { for j in c.indices { c[j] += unit[id][j] } }
    return c.map { $0 / Double(ids.count) }
}

/// Vector arithmetic on categories: each word is assigned to the category whose centroid (of the
/// other words, leaving the word itself out) is most similar. Returns the fraction assigned right.
public func centroidAccuracy(_ vectors: [[Double]], categories: [(name: String, ids: [Int])]) -> Double {
    let unit = normalizedRows(vectors)
    var right = 0, total = 0
    for (c, cat) in categories.enumerated() {
        for id in cat.ids {
            var best = -Double.infinity, bestCat = -1
            for (k, other) in categories.enumerated() {
                let ids = other.ids.filter { $0 != id }
                if ids.isEmpty { continue }
                let s = cosine(unit[id], centroid(unit, ids: ids))
                if s > best { best = s; bestCat = k }
            }
            if bestCat == c { right += 1 }
            total += 1
        }
    }
    return Double(right) / Double(max(total, 1))
}

/// An analogy a : b :: c : ?, answered by the word nearest to b − a + c (a, b, c excluded).
public func analogy(_ vectors: [[Double]], _ a: Int, _ b: Int, _ c: Int, count: Int = 3) -> [(id: Int, cosine: Double)] {
    let unit = normalizedRows(vectors)
    let q = unit[b].indices.map { unit[b][$0] - unit[a][$0] + unit[c][$0] }
    return nearest(to: q, in: unit, count: count, exclude: [a, b, c])
}
