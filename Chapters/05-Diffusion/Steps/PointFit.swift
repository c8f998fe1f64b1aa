/// Scoring 2-D samples of shapes without modes (the moons, the spiral): how far each sample lies
/// from the nearest point of a large reference sample of the true distribution.
///
/// Real points score the resolution of the reference set itself (the floor); samples that miss
/// the shape score the distance to it. The share within `radius` reads like the mode score's
/// "high quality": the fraction of samples that lie on the shape.
public struct ShapeFit: Sendable, Equatable {
    /// Mean distance from a sample to its nearest reference point.
    public var meanDistance: Double
    /// Share of samples within the radius of some reference point.
    public var shareWithin: Double
}

/// Nearest-reference distance of every sample; both arrays are [n][2] flattened.
public func nearestDistances(_ samples: [Float], reference: [Float]) -> [Double] {
    precondition(samples.count % 2 == 0 && reference.count % 2 == 0 && !reference.isEmpty,
                 "nearestDistances: samples and reference must be non-empty [n][2] arrays")
    let m = reference.count / 2
    return (0..<(samples.count / 2)).map { i in
        let x = samples[2 * i], y = samples[2 * i + 1]
        var best = Float.infinity
        for j in 0..<m {
            let dx = x - reference[2 * j], dy = y - reference[2 * j + 1]
            best = min(best, dx * dx + dy * dy)
        }
        return Double(best).squareRoot()
    }
}

/// Mean nearest-reference distance and the share of samples within `radius` of the reference.
public func shapeFit(samples: [Float], reference: [Float], radius: Double) -> ShapeFit {
    let d = nearestDistances(samples, reference: reference)
    guard !d.isEmpty else { return ShapeFit(meanDistance: 0, shareWithin: 0) }
    return ShapeFit(meanDistance: d.reduce(0, +) / Double(d.count),
                    shareWithin: Double(d.filter { $0 <= radius }.count) / Double(d.count))
}
