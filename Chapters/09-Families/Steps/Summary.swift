import Ch05Diffusion

/// Summaries over seeds and learning rates: mean and spread, and what counts as a successful run.

/// Mean and sample standard deviation (n − 1 denominator; 0 for a single value).
public func meanAndSpread(_ xs: [Double]) -> (mean: Double, spread: Double) {
    guard !xs.isEmpty else { return (0, 0) }
    let m = xs.reduce(0, +) / Double(xs.count)
    guard xs.count > 1 else { return (m, 0) }
    let v = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)
    return (m, v.squareRoot())
}

/// Modes a run must cover to count as a success: at least 90 % of `modes`, rounded up
/// (8 of 8 on the ring, 23 of 25 on the grid).
public func successThreshold(modes: Int) -> Int {
    (9 * modes + 9) / 10
}

/// Whether a run ended covering at least 90 % of the modes (a diverged run never does).
public func isSuccess(_ r: PointRunResult) -> Bool {
    !r.diverged && r.report.covered >= successThreshold(modes: r.report.modes)
}

/// Share of runs that succeed.
public func successShare(_ runs: [PointRunResult]) -> Double {
    runs.isEmpty ? 0 : Double(runs.filter(isSuccess).count) / Double(runs.count)
}

/// The first checkpoint step at which `modes` reached `threshold`, or nil if it never did.
public func firstStep(reaching threshold: Int, steps: [Int], modes: [Int]) -> Int? {
    zip(steps, modes).first { $0.1 >= threshold }?.0
}

/// Modes lost over training: the sum of every drop in the count from one checkpoint to the next.
/// A count that only rises scores 0; a GAN that hops from mode to mode scores high even when it
/// ends where it started.
public func modesLost(_ modes: [Int]) -> Int {
    zip(modes, modes.dropFirst()).reduce(0) { $0 + max(0, $1.0 - $1.1) }
}
