import Engine

/// k-means clustering of vectors: the codebook that turns spectrogram frames into tokens.
///
/// Seeded k-means++ initialisation (each new centre drawn with probability proportional to the
/// squared distance to the nearest existing one), then Lloyd's iterations: assign every point to
/// its nearest centre, move each centre to the mean of its points. A centre that loses all its
/// points is moved to the point farthest from its centre, so no code is wasted.
public struct KMeans: Sendable {
    /// Vector length.
    public let dim: Int
    /// The centres, row-major [k, dim].
    public private(set) var centres: [Float]
    /// Number of centres.
    public var k: Int { centres.count / dim }

    /// Centres fitted to `points` (each `dim` long).
    public init(points: [[Float]], k: Int, iterations: Int, rng: inout RNG) {
        precondition(!points.isEmpty && k >= 1 && k <= points.count, "k-means needs 1 ≤ k ≤ \(points.count) points, got k = \(k)")
        let dim = points[0].count
        self.dim = dim
        precondition(points.allSatisfy { $0.count == dim }, "k-means: every point must have \(dim) values")
        var c = points[rng.int(points.count)]
        var nearest = points.map { Self.distance($0, c[...]) }
        for _ in 1..<k {
            let next = rng.categorical(nearest.map { Swift.max($0, 1e-12) })
            let centre = points[next]
            c += centre
            for i in points.indices { nearest[i] = Swift.min(nearest[i], Self.distance(points[i], centre[...])) }
        }
        centres = c
        for _ in 0..<iterations {
            let labels = assign(points)
            var sums = [Double](repeating: 0, count: k * dim), counts = [Int](repeating: 0, count: k)
            for (p, l) in zip(points, labels) {
                counts[l] += 1
                for j in 0..<dim { sums[l * dim + j] += Double(p[j]) }
            }
            for j in 0..<k {
                if counts[j] > 0 {
                    for e in 0..<dim { centres[j * dim + e] = Float(sums[j * dim + e] / Double(counts[j])) }
                } else {
                    let far = points.indices.max { distanceToCentre(points[$0], labels[$0]) < distanceToCentre(points[$1], labels[$1]) }!
                    for e in 0..<dim { centres[j * dim + e] = points[far][e] }
                }
            }
        }
    }

    /// A codebook with given centres (row-major [k, dim]).
    public init(centres: [Float], dim: Int) {
        precondition(dim > 0 && !centres.isEmpty && centres.count % dim == 0, "k-means centres must be k × \(dim) values")
        self.dim = dim
        self.centres = centres
    }

    static func distance(_ a: [Float], _ b: ArraySlice<Float>) -> Float {
        var s: Float = 0
        var j = b.startIndex
        for x in a { let d = x - b[j]; s += d * d; j += 1 }
        return s
    }

    /// Centre `j` as a vector.
    public func centre(_ j: Int) -> [Float] { Array(centres[(j * dim)..<((j + 1) * dim)]) }

    func distanceToCentre(_ p: [Float], _ j: Int) -> Float { Self.distance(p, centres[(j * dim)..<((j + 1) * dim)]) }

    /// The nearest centre of `p` (the lowest index on ties).
    public func token(_ p: [Float]) -> Int {
        var best = 0, bestD = Float.infinity
        for j in 0..<k {
            let d = distanceToCentre(p, j)
            if d < bestD { bestD = d; best = j }
        }
        return best
    }

    /// The nearest centre of every point (in parallel over points).
    public func assign(_ points: [[Float]]) -> [Int] {
        var out = [Int](repeating: 0, count: points.count)
        out.withUnsafeMutableBufferPointer { buf in
            let buf = buf
            Parallel.forRanges(points.count, minChunk: 256) { r in for i in r { buf[i] = token(points[i]) } }
        }
        return out
    }
}
