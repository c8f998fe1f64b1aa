/// Mean and covariance of a set of feature vectors (the Gaussian a Fréchet distance compares).
public struct FeatureStatistics: Sendable {
    /// Length of each feature vector.
    public let dimension: Int
    /// Number of vectors the statistics came from.
    public let count: Int
    /// Mean vector, length `dimension`.
    public let mean: [Double]
    /// Covariance, `dimension`×`dimension` row-major, with the unbiased n − 1 denominator.
    public let covariance: [Double]

    /// Statistics of `count` vectors stored row by row in `features` (`count × dimension` floats),
    /// accumulated in Double so that thousands of rows lose no digits. Needs at least 2 rows.
    public init(features: [Float], count: Int, dimension: Int) {
        precondition(count >= 2, "FeatureStatistics: need at least 2 feature vectors, got \(count)")
        precondition(features.count == count * dimension,
                     "FeatureStatistics: \(features.count) floats for \(count) vectors of \(dimension)")
        self.dimension = dimension
        self.count = count
        var mean = [Double](repeating: 0, count: dimension)
        for r in 0..<count { for j in 0..<dimension { mean[j] += Double(features[r * dimension + j]) } }
        for j in 0..<dimension { mean[j] /= Double(count) }
        var cov = [Double](repeating: 0, count: dimension * dimension)
        var centred = [Double](repeating: 0, count: dimension)
        for r in 0..<count {
            for j in 0..<dimension { centred[j] = Double(features[r * dimension + j]) - mean[j] }
            for i in 0..<dimension {
                let ci = centred[i]
                for j in i..<dimension { cov[i * dimension + j] += ci * centred[j] }
            }
        }
        for i in 0..<dimension {
            for j in i..<dimension {
                let v = cov[i * dimension + j] / Double(count - 1)
                cov[i * dimension + j] = v
                cov[j * dimension + i] = v
            }
        }
        self.mean = mean
        covariance = cov
    }
}
