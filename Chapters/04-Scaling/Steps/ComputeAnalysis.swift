import Engine

/// A learning curve: validation loss against tokens seen, for one size (one seed or a seed mean).
public struct LossCurve: Sendable {
    /// Non-embedding parameters N of the model.
    public var parameters: Double
    /// Training FLOPs per token of the model.
    public var flopsPerToken: Double
    /// Tokens seen at each checkpoint (increasing).
    public var tokens: [Double]
    /// Validation loss (bits per character) at each checkpoint.
    public var bits: [Double]

    /// A curve from its points.
    public init(parameters: Double, flopsPerToken: Double, tokens: [Double], bits: [Double]) {
        precondition(tokens.count == bits.count && !tokens.isEmpty, "a curve needs matching, non-empty tokens and losses")
        self.parameters = parameters; self.flopsPerToken = flopsPerToken; self.tokens = tokens; self.bits = bits
    }

    /// Training FLOPs at each checkpoint.
    public var flops: [Double] { tokens.map { $0 * flopsPerToken } }

    /// The loss after `t` tokens, interpolated linearly in log(tokens) between checkpoints; nil
    /// outside the checkpoints (no extrapolation).
    public func bits(atTokens t: Double) -> Double? {
        guard let first = tokens.first, let last = tokens.last, t >= first * (1 - 1e-12), t <= last * (1 + 1e-12) else { return nil }
        guard tokens.count > 1 else { return bits[0] }
        for i in 1..<tokens.count where t <= tokens[i] {
            let u = (log(t) - log(tokens[i - 1])) / (log(tokens[i]) - log(tokens[i - 1]))
            return bits[i - 1] + Swift.min(1, Swift.max(0, u)) * (bits[i] - bits[i - 1])
        }
        return bits.last
    }

    /// The loss after spending `c` training FLOPs, or nil outside the run.
    public func bits(atFLOPs c: Double) -> Double? { bits(atTokens: c / flopsPerToken) }

    /// Tokens needed to first reach `target` bits (interpolated in log tokens), or nil if never.
    public func tokens(toReach target: Double) -> Double? {
        guard let i = bits.firstIndex(where: { $0 <= target }) else { return nil }
        guard i > 0 else { return tokens[0] }
        let u = (bits[i - 1] - target) / (bits[i - 1] - bits[i])
        return exp(log(tokens[i - 1]) + u * (log(tokens[i]) - log(tokens[i - 1])))
    }
}

/// The seed-mean curve of one size: the mean loss at each checkpoint (all seeds share them).
public func meanCurve(_ curves: [LossCurve]) -> LossCurve {
    precondition(!curves.isEmpty && curves.allSatisfy { $0.tokens == curves[0].tokens }, "seed curves must share checkpoints")
    let bits = curves[0].tokens.indices.map { i in curves.reduce(0) { $0 + $1.bits[i] } / Double(curves.count) }
    return LossCurve(parameters: curves[0].parameters, flopsPerToken: curves[0].flopsPerToken, tokens: curves[0].tokens, bits: bits)
}

/// One point of the compute-efficient frontier.
public struct FrontierPoint: Sendable {
    /// Training FLOPs.
    public var flops: Double
    /// The lowest loss any size reaches with that many FLOPs.
    public var bits: Double
    /// Index of the size that reaches it.
    public var size: Int
    /// How far the next-lowest size is above it (bits), nil when only one size covers the budget.
    public var margin: Double?

    /// A point from its parts (`computeFrontier` makes them from learning curves).
    public init(flops: Double, bits: Double, size: Int, margin: Double?) {
        self.flops = flops; self.bits = bits; self.size = size; self.margin = margin
    }
}

/// The lower envelope of the runs: at each of `count` log-spaced FLOP budgets spanning all runs,
/// the lowest interpolated loss over the sizes whose runs cover that budget. It is the envelope of
/// these particular runs, not the compute-optimal frontier: a size drops out where its run ends.
public func computeFrontier(_ curves: [LossCurve], count: Int) -> [FrontierPoint] {
    let lo = curves.map { $0.flops.first! }.min()!, hi = curves.map { $0.flops.last! }.max()!
    return (0..<count).compactMap { i -> FrontierPoint? in
        let c = exp(log(lo) + (log(hi) - log(lo)) * Double(i) / Double(count - 1))
        var covering: [(size: Int, bits: Double)] = []
        for (k, curve) in curves.enumerated() {
            if let b = curve.bits(atFLOPs: c) { covering.append((k, b)) }
        }
        // Lowest loss first; a tie goes to the smaller size, so the result never depends on sort stability.
        covering.sort { a, b in a.bits < b.bits || (a.bits == b.bits && a.size < b.size) }
        guard let best = covering.first else { return nil }
        let margin: Double? = covering.count > 1 ? covering[1].bits - best.bits : nil
        return FrontierPoint(flops: c, bits: best.bits, size: best.size, margin: margin)
    }
}

/// Least-squares parabola y ≈ c0 + c1·x + c2·x² (normal equations, solved by Cramer's rule on a
/// centred x for conditioning); nil when the points do not determine one.
public func quadraticFit(x: [Double], y: [Double]) -> (c0: Double, c1: Double, c2: Double)? {
    guard x.count >= 3 else { return nil }
    let n = Double(x.count), m = x.reduce(0, +) / n
    let u = x.map { $0 - m }
    var s = [Double](repeating: 0, count: 5), t = [Double](repeating: 0, count: 3)
    for (ui, yi) in zip(u, y) {
        var p = 1.0
        for k in 0..<5 { s[k] += p; if k < 3 { t[k] += p * yi }; p *= ui }
    }
    func det(_ a: [[Double]]) -> Double {
        a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
            + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0])
    }
    let mat = [[s[0], s[1], s[2]], [s[1], s[2], s[3]], [s[2], s[3], s[4]]]
    let d = det(mat)
    guard abs(d) > 1e-12 else { return nil }
    func replaced(_ col: Int) -> [[Double]] { mat.enumerated().map { r, row in row.enumerated().map { c, v in c == col ? t[r] : v } } }
    let b0 = det(replaced(0)) / d, b1 = det(replaced(1)) / d, b2 = det(replaced(2)) / d
    // Undo the centring: y = b0 + b1(x − m) + b2(x − m)².
    return (b0 - b1 * m + b2 * m * m, b1 - 2 * b2 * m, b2)
}

/// One stretch of the lower envelope held by one size.
public struct EnvelopeStretch: Sendable, Equatable {
    /// Index of the size that is lowest along the stretch.
    public var size: Int
    /// First and last budget (FLOPs) of the stretch.
    public var from: Double, to: Double
}

/// The envelope's points grouped into consecutive stretches with the same lowest size.
public func envelopeStretches(_ frontier: [FrontierPoint]) -> [EnvelopeStretch] {
    var out: [EnvelopeStretch] = []
    for p in frontier {
        if out.last?.size == p.size { out[out.count - 1].to = p.flops } else { out.append(EnvelopeStretch(size: p.size, from: p.flops, to: p.flops)) }
    }
    return out
}

/// The stretches at which a smaller size takes over again from a larger one: the places where
/// the lowest size does not grow with the budget.
public func envelopeReversals(_ stretches: [EnvelopeStretch]) -> [Int] {
    stretches.indices.dropFirst().filter { stretches[$0].size < stretches[$0 - 1].size }
}
