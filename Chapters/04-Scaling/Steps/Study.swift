import Engine

/// All seeds' runs of one model size, with the curves the analysis needs.
public struct SizeRuns: Sendable {
    /// The model size.
    public var size: ModelSize
    /// One run per seed, in the plan's seed order.
    public var runs: [RunResult]

    /// A size and its runs.
    public init(size: ModelSize, runs: [RunResult]) {
        self.size = size; self.runs = runs
    }

    /// Non-embedding parameters.
    public var parameters: Double { Double(size.parameters) }

    /// The learning curve of seed `i`.
    public func curve(seed i: Int) -> LossCurve {
        let r = runs[i]
        return LossCurve(parameters: parameters, flopsPerToken: trainingFLOPsPerToken(r.config.model),
                         tokens: r.checkpoints.map { Double($0.tokens) }, bits: r.checkpoints.map(\.bits))
    }

    /// The seed-mean learning curve.
    public var mean: LossCurve { meanCurve(runs.indices.map { curve(seed: $0) }) }

    /// Final loss per seed.
    public var finals: [Double] { runs.map { $0.checkpoints.last!.bits } }

    /// Seed-mean loss at each context position.
    public var positionBits: [Double] {
        runs[0].positionBits.indices.map { j in runs.reduce(0) { $0 + $1.positionBits[j] } / Double(runs.count) }
    }
}

/// The size-law fits of one set of final losses.
public struct SizeFits: Sendable {
    /// E, A and α all fitted.
    public var free: PowerLaw
    /// E fixed at the corpus's entropy floor.
    public var floored: PowerLaw
}

/// Fits L(N) both ways to final losses `bits` of models with `parameters`.
public func sizeFits(parameters: [Double], bits: [Double], floor: Double) -> SizeFits {
    SizeFits(free: PowerLaw.fit(n: parameters, loss: bits), floored: PowerLaw.fit(n: parameters, loss: bits, floor: floor))
}

/// Mean loss over the context positions `range` (0-based; position j predicts from j + 1 bytes).
public func meanBits(_ perPosition: [Double], _ range: Range<Int>) -> Double {
    perPosition[range].reduce(0, +) / Double(range.count)
}

