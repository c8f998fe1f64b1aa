import Engine
import Models

/// The IsoFLOP design (Hoffmann et al. 2022, approach 2): a few compute budgets, and at each one
/// several model sizes, every run trained for exactly the tokens the budget allows it
/// (D = C / FLOPs per token, ≈ C / 6N) with its learning rate decayed to the end of that run.
public struct IsoFLOPPlan: Sendable {
    /// Compute budgets C in training FLOPs, increasing.
    public var budgets: [Double]
    /// The size ladder the budgets draw from, smallest first.
    public var ladder: [ModelSize]
    /// For each budget, the indices into `ladder` trained at it (consecutive, centred by design
    /// on where the optimum was expected).
    public var windows: [[Int]]

    /// A plan; every window needs at least three sizes for a parabola.
    public init(budgets: [Double], ladder: [ModelSize], windows: [[Int]]) {
        precondition(budgets.count == windows.count && windows.allSatisfy { $0.count >= 3 }, "each budget needs at least three sizes")
        self.budgets = budgets; self.ladder = ladder; self.windows = windows
    }

    /// The run of `ladder[size]` at budget `budget` under `plan`'s shared settings: steps chosen so
    /// tokens × FLOPs per token is as close to the budget as whole steps allow, a warmup of a tenth
    /// of the run (at most the plan's), the cosine decay to the end, one evaluation at the end.
    public func run(budget: Double, size: Int, plan: ScalingPlan, seed: UInt64) -> RunConfig {
        let s = ladder[size]
        let perStep = Double(plan.tokensPerStep) * trainingFLOPsPerToken(s.config(context: plan.context))
        let steps = Swift.max(4, Int((budget / perStep).rounded()))
        return RunConfig(size: s, context: plan.context, batch: plan.batch, steps: steps,
                         warmup: Swift.max(1, Swift.min(plan.warmup, steps / 10)),
                         learningRate: learningRate(width: s.width), checkpoints: [steps],
                         validationBatches: plan.validationBatches, positionWindows: 0, trainDocuments: plan.trainDocuments,
                         validationDocuments: plan.validationDocuments, seed: seed, decayToEnd: true)
    }
}

/// One budget's measured points: size, tokens and final loss of each run.
public struct IsoFLOPPoints: Sendable {
    /// The budget C.
    public var budget: Double
    /// Non-embedding parameters N of each size.
    public var parameters: [Double]
    /// Tokens D each size was trained for.
    public var tokens: [Double]
    /// Final validation loss (bits/char) of each run.
    public var bits: [Double]

    /// The points of one budget.
    public init(budget: Double, parameters: [Double], tokens: [Double], bits: [Double]) {
        precondition(parameters.count == bits.count && tokens.count == bits.count, "one N, D and loss per run")
        self.budget = budget; self.parameters = parameters; self.tokens = tokens; self.bits = bits
    }

    /// The same points with other losses (a bootstrap draw).
    public func with(bits newBits: [Double]) -> IsoFLOPPoints {
        IsoFLOPPoints(budget: budget, parameters: parameters, tokens: tokens, bits: newBits)
    }
}

/// The parabola in log10 x through the lowest point and its two neighbours, when the lowest
/// point is not at either end: the local fit that locates a bracketed minimum. Nil when the
/// minimum sits at an edge of the sizes trained (then it is not bracketed, and extrapolating a
/// parabola beyond the sizes would not be a measurement).
public func localParabola(x: [Double], bits: [Double]) -> (c0: Double, c1: Double, c2: Double)? {
    guard x.count >= 3, let best = bits.indices.min(by: { bits[$0] < bits[$1] }), best > 0, best < x.count - 1 else { return nil }
    let idx = [best - 1, best, best + 1]
    return quadraticFit(x: idx.map { log10(x[$0]) }, y: idx.map { bits[$0] })
}

/// The minimum of the local parabola (see `localParabola`): nil unless the lowest loss is
/// interior. Through three points whose middle one is lowest, the parabola opens upward and its
/// vertex lies between the outer two, so the minimum is bracketed by construction.
public func bracketedMinimum(x: [Double], bits: [Double]) -> Double? {
    guard let p = localParabola(x: x, bits: bits), p.c2 > 0 else { return nil }
    return pow(10, -p.c1 / (2 * p.c2))
}

/// The IsoFLOP analysis: per budget the optimal N (the vertex of a parabola in log N) and the
/// tokens D_opt that size gets from the budget, and the exponents of N_opt ∝ C^a and D_opt ∝ C^b
/// over the budgets that bracket a minimum.
///
/// D_opt is C divided by the training FLOPs per token of a model of size N_opt, read off a line
/// through log(FLOPs per token) against log N of the sizes trained at that budget (Chinchilla's
/// D = C/6N with this chapter's fuller count, which is not proportional to N at these sizes).
public struct IsoFLOPFit: Sendable {
    /// N_opt per budget, nil where the minimum is not bracketed.
    public var optimalParameters: [Double?]
    /// D_opt per budget, nil where the minimum is not bracketed.
    public var optimalTokens: [Double?]
    /// Slope of log N_opt against log C (nil with fewer than two bracketed budgets).
    public var a: Double?
    /// Slope of log D_opt against log C.
    public var b: Double?

    /// Budgets whose loss-against-N parabola has its minimum inside the sizes trained.
    public var bracketed: Int { optimalParameters.compactMap { $0 }.count }

    /// Fits every budget's parabola, its D_opt and the two exponents.
    public init(_ points: [IsoFLOPPoints]) {
        optimalParameters = points.map { bracketedMinimum(x: $0.parameters, bits: $0.bits) }
        optimalTokens = zip(points, optimalParameters).map { p, n in
            n.map { n in
                let cost = LineFit(x: p.parameters.map { log($0) }, y: p.tokens.map { log(p.budget / $0) })
                return p.budget / exp(cost.intercept + cost.slope * log(n))
            }
        }
        func slope(_ opt: [Double?]) -> Double? {
            let pts = zip(points, opt).compactMap { p, o in o.map { (log(p.budget), log($0)) } }
            guard pts.count >= 2 else { return nil }
            return LineFit(x: pts.map(\.0), y: pts.map(\.1)).slope
        }
        a = slope(optimalParameters)
        b = slope(optimalTokens)
    }
}

/// A parametric bootstrap of the exponents: `reps` times, every point's loss gets Gaussian noise
/// of standard deviation `noise` (the seed-to-seed spread measured elsewhere in the chapter) and
/// the whole analysis is redone. Returns the a and b of every draw in which they exist.
public func bootstrapExponents(_ points: [IsoFLOPPoints], noise: Double, reps: Int, rng: inout RNG)
    -> (a: [Double], b: [Double]) {
    var a: [Double] = [], b: [Double] = []
    for _ in 0..<reps {
        let drawn = points.map { p in p.with(bits: p.bits.map { $0 + noise * Double(rng.normal()) }) }
        let fit = IsoFLOPFit(drawn)
        if let x = fit.a { a.append(x) }
        if let x = fit.b { b.append(x) }
    }
    return (a, b)
}

/// The `q` quantile (0…1) of `values` by linear interpolation between order statistics.
public func quantile(_ values: [Double], _ q: Double) -> Double {
    precondition(!values.isEmpty && q >= 0 && q <= 1, "a quantile needs values and 0 ≤ q ≤ 1")
    let s = values.sorted()
    let h = q * Double(s.count - 1)
    let i = Int(h.rounded(.down)), j = Swift.min(i + 1, s.count - 1)
    return s[i] + (h - Double(i)) * (s[j] - s[i])
}

