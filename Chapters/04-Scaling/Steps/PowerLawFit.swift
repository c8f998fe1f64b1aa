import Engine

/// Least-squares line y = intercept + slope·x.
public struct LineFit: Sendable, Equatable {
    /// Slope and intercept.
    public var slope: Double, intercept: Double

    /// Fits by ordinary least squares; needs at least two distinct x values.
    public init(x: [Double], y: [Double]) {
        precondition(x.count == y.count && x.count >= 2, "a line fit needs at least two points")
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx) }
        precondition(sxx > 0, "a line fit needs two distinct x values")
        slope = sxy / sxx
        intercept = my - slope * mx
    }
}

/// A saturating power law L(N) = E + A·N^(−α): an irreducible loss E plus a part that shrinks
/// as a power of N.
public struct PowerLaw: Sendable, Equatable {
    /// The irreducible loss (the fit's estimate of the entropy floor).
    public var e: Double
    /// Scale of the reducible part.
    public var a: Double
    /// The exponent α.
    public var alpha: Double
    /// Root-mean-square residual of the fit, in the units of L.
    public var rmse: Double

    /// The law's value at `n`.
    public func callAsFunction(_ n: Double) -> Double { e + a * pow(n, -alpha) }

    /// Fits the law to points (n, loss) by least squares on L.
    ///
    /// With E fixed (`floor`), log(L − E) is linear in log N, so A and α come from a line fit. With
    /// E free, that line fit is done for each trial E and E is chosen to minimise the squared
    /// residuals of L itself: a grid over [0, min L) and then golden-section refinement around the
    /// best grid point. (For a fixed E the line fit on logs is not exactly the least-squares fit
    /// on L, but it is exact when the data follow the law, which is what the test checks.)
    public static func fit(n: [Double], loss: [Double], floor: Double? = nil) -> PowerLaw {
        precondition(n.count == loss.count && n.count >= 3, "a power-law fit needs at least three points")
        let logN = n.map { log($0) }
        func fitAt(_ e: Double) -> PowerLaw? {
            let y = loss.map { $0 - e }
            guard y.allSatisfy({ $0 > 0 }) else { return nil }
            let line = LineFit(x: logN, y: y.map { log($0) })
            var law = PowerLaw(e: e, a: exp(line.intercept), alpha: -line.slope, rmse: 0)
            var ss = 0.0
            for (ni, li) in zip(n, loss) { let r = law(ni) - li; ss += r * r }
            law.rmse = (ss / Double(n.count)).squareRoot()
            return law
        }
        if let floor {
            guard let law = fitAt(floor) else {
                preconditionFailure("every loss must lie above the fixed floor \(floor)")
            }
            return law
        }
        let top = loss.min()! * (1 - 1e-9)
        let grid = 400
        var best: (e: Double, law: PowerLaw)? = nil
        for i in 0..<grid {
            let e = top * Double(i) / Double(grid)
            if let law = fitAt(e), best == nil || law.rmse < best!.law.rmse { best = (e, law) }
        }
        // Golden-section search on the bracket around the best grid point.
        var lo = Swift.max(0, best!.e - top / Double(grid)), hi = Swift.min(top, best!.e + top / Double(grid))
        let g = (5.0.squareRoot() - 1) / 2
        func cost(_ e: Double) -> Double { fitAt(e)?.rmse ?? .infinity }
        for _ in 0..<80 {
            let c = hi - g * (hi - lo), d = lo + g * (hi - lo)
            if cost(c) < cost(d) { hi = d } else { lo = c }
        }
        let refined = fitAt((lo + hi) / 2)
        return refined.map { $0.rmse <= best!.law.rmse ? $0 : best!.law } ?? best!.law
    }
}

/// Mean and standard deviation (n − 1 denominator; 0 for a single value).
public func meanAndSpread(_ values: [Double]) -> (mean: Double, sd: Double) {
    let n = Double(values.count)
    let m = values.reduce(0, +) / n
    guard values.count > 1 else { return (m, 0) }
    let v = values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)
    return (m, v.squareRoot())
}

/// Bootstrap over seeds: `reps` resamples, each picking for every size one of its seeds at random
/// (with replacement), so the spread of a statistic reflects how much it moves when the runs are
/// redrawn. Returns the chosen seed index per size for each resample; deterministic for `rng`.
public func seedResamples(sizes: Int, seeds: Int, reps: Int, rng: inout RNG) -> [[Int]] {
    (0..<reps).map { _ in (0..<sizes).map { _ in rng.int(seeds) } }
}

