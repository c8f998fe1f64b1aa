import Engine

/// Step 1: why attention divides by √d, measured on random vectors.
public struct ScaleSweepRow: Sendable {
    /// The query and key width.
    public let width: Int
    /// Mean over trials of the standard deviation of the raw scores q·kⱼ across the keys.
    public let scoreSpread: Double
    /// Mean over trials of the largest softmax weight without scaling.
    public let largestWeightRaw: Double
    /// Mean over trials of the largest softmax weight after dividing the scores by √d.
    public let largestWeightScaled: Double
}

/// For each width d, draws `trials` queries and `keys` keys with independent standard-normal
/// entries (so q·k has variance d) and measures the spread of the scores and how peaked the softmax
/// is with and without the 1/√d scale.
public func scaleSweep(widths: [Int], trials: Int, keys: Int, rng: inout RNG) -> [ScaleSweepRow] {
    precondition(trials > 0 && keys > 1, "need at least one trial and two keys")
    return widths.map { d in
        var spread = 0.0, maxRaw = 0.0, maxScaled = 0.0
        for _ in 0..<trials {
            let q = (0..<d).map { _ in rng.normal() }
            let ks = (0..<keys).map { _ in (0..<d).map { _ in rng.normal() } }
            let r = attendOne(query: q, keys: ks, values: ks.map { _ in [Float(0)] })
            let mean = r.scores.reduce(0, +) / Float(keys)
            spread += Double(r.scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(keys)).squareRoot()
            maxRaw += Double(softmax(r.scores).max()!)
            maxScaled += Double(r.weights.max()!)
        }
        let n = Double(trials)
        return ScaleSweepRow(width: d, scoreSpread: spread / n, largestWeightRaw: maxRaw / n, largestWeightScaled: maxScaled / n)
    }
}
