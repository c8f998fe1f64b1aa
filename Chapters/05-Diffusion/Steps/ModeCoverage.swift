/// Scoring 2-D samples against the known modes of a Gaussian mixture: how many modes the model
/// reaches (diversity) and how many samples land on a mode at all (quality).
///
/// A sample is *high quality* when it lies within `radius` standard deviations of its nearest mode.
/// For true data in 2-D the distance to the mode is Rayleigh distributed, so 3σ keeps
/// 1 − e^(−4.5) ≈ 98.9% of real points: a model at the data's level scores about 99%.
/// A mode is *covered* when it holds at least `minimumShare` of its fair share n/k of high-quality
/// samples, so a handful of stray points near a mode does not count as having learned it.
public struct ModeReport: Sendable, Equatable {
    /// Number of modes in the mixture.
    public var modes: Int
    /// Modes holding enough high-quality samples.
    public var covered: Int
    /// Samples within the radius of their nearest mode.
    public var highQuality: Int
    /// Samples scored.
    public var total: Int
    /// High-quality samples per mode.
    public var perMode: [Int]

    /// Share of samples that are high quality.
    public var highQualityShare: Double { total == 0 ? 0 : Double(highQuality) / Double(total) }
}

/// Scores `samples` ([n][2] flattened) against `modes` of standard deviation `std`.
public func modeReport(samples: [Float], modes: [(x: Float, y: Float)], std: Float,
                       radius: Float = 3, minimumShare: Double = 0.1) -> ModeReport {
    precondition(samples.count % 2 == 0, "modeReport: samples must be [n][2] flattened")
    let n = samples.count / 2, k = modes.count
    var perMode = [Int](repeating: 0, count: k)
    var high = 0
    let limit = (radius * std) * (radius * std)
    for i in 0..<n {
        let x = samples[2 * i], y = samples[2 * i + 1]
        var best = 0
        var bestD = Float.infinity
        for (j, m) in modes.enumerated() {
            let d = (x - m.x) * (x - m.x) + (y - m.y) * (y - m.y)
            if d < bestD { bestD = d; best = j }
        }
        if bestD <= limit { high += 1; perMode[best] += 1 }
    }
    let needed = max(1, Int((minimumShare * Double(n) / Double(max(k, 1))).rounded(.up)))
    let covered = perMode.filter { $0 >= needed }.count
    return ModeReport(modes: k, covered: covered, highQuality: high, total: n, perMode: perMode)
}
