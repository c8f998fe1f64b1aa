/// Precision and recall of a generated set against a real one, in a feature space
/// (Kynkäänniemi et al. 2019, "Improved precision and recall metric for assessing generative models").
///
/// Each set stands for the region of feature space it covers: the union of balls around its points,
/// each ball reaching the point's k-th nearest neighbour within the same set. Precision is the share
/// of generated points that fall inside the real region (do samples look real?); recall is the share
/// of real points that fall inside the generated region (is every kind of real image produced?).
/// A set of noise images has precision near 0; a second set of real images has both near 1, not
/// exactly 1 because a finite sample leaves gaps between its balls. The Fréchet distance folds both
/// failures into one number; these two keep them apart.
public struct PrecisionRecall: Sendable, Equatable {
    /// Share of generated points inside the real manifold estimate, in [0, 1].
    public let precision: Double
    /// Share of real points inside the generated manifold estimate, in [0, 1].
    public let recall: Double

    /// The two shares.
    public init(precision: Double, recall: Double) {
        self.precision = precision
        self.recall = recall
    }

    /// Compares `generated` with `real` (row-major, `dimension` floats per point) with balls that
    /// reach each point's `k`-th nearest neighbour in its own set (the paper uses k = 3). Each set
    /// needs more than `k` points.
    public init(real: [Float], generated: [Float], dimension: Int, k: Int = 3) {
        precondition(dimension >= 1 && k >= 1, "PrecisionRecall: need dimension ≥ 1 and k ≥ 1")
        precondition(real.count % dimension == 0 && generated.count % dimension == 0,
                     "PrecisionRecall: feature arrays must hold whole vectors of \(dimension)")
        let r = real.count / dimension, g = generated.count / dimension
        precondition(r > k && g > k, "PrecisionRecall: each set needs more than k = \(k) points, got \(r) real and \(g) generated")
        let realRadii = Self.kthNeighbourDistances(real, count: r, dimension: dimension, k: k)
        let generatedRadii = Self.kthNeighbourDistances(generated, count: g, dimension: dimension, k: k)
        precision = Self.coveredShare(of: generated, count: g, by: real, radii: realRadii, count: r, dimension: dimension)
        recall = Self.coveredShare(of: real, count: r, by: generated, radii: generatedRadii, count: g, dimension: dimension)
    }

    /// Squared Euclidean distance between point `i` of `a` and point `j` of `b`.
    static func squaredDistance(_ a: [Float], _ i: Int, _ b: [Float], _ j: Int, dimension d: Int) -> Double {
        var s = 0.0
        for c in 0..<d { let e = Double(a[i * d + c]) - Double(b[j * d + c]); s += e * e }
        return s
    }

    /// For every point, the squared distance to its k-th nearest other point of the same set.
    static func kthNeighbourDistances(_ x: [Float], count n: Int, dimension d: Int, k: Int) -> [Double] {
        (0..<n).map { i in
            var nearest: [Double] = []  // the k smallest distances so far, ascending
            for j in 0..<n where j != i {
                let s = squaredDistance(x, i, x, j, dimension: d)
                if nearest.count < k || s < nearest[k - 1] {
                    let at = nearest.firstIndex { $0 > s } ?? nearest.count
                    nearest.insert(s, at: at)
                    if nearest.count > k { nearest.removeLast() }
                }
            }
            return nearest[k - 1]
        }
    }

    /// Share of the points of `queries` within the radius of at least one point of `centres`.
    static func coveredShare(of queries: [Float], count q: Int, by centres: [Float], radii: [Double], count c: Int, dimension d: Int) -> Double {
        var inside = 0
        for i in 0..<q where (0..<c).contains(where: { squaredDistance(queries, i, centres, $0, dimension: d) <= radii[$0] }) {
            inside += 1
        }
        return Double(inside) / Double(q)
    }
}
