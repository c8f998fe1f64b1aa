/// Comparison helpers for the checks. Each throws a `GradeFailure` that shows the small case,
/// what was expected and what came back, and never indexes past a wrong-sized answer.

/// Numbers as "[1.000, 2.000]" (at most `limit` shown).
func show(_ v: [Double], limit: Int = 12) -> String {
    let shown = v.prefix(limit).map { fmt($0) }.joined(separator: ", ")
    return "[" + shown + (v.count > limit ? ", … (\(v.count) values)" : "") + "]"
}

/// A number with four significant decimals, or its spelling when not finite.
func fmt(_ x: Double) -> String {
    x.isFinite ? String(format: "%.4g", x) : "\(x)"
}

/// Fails unless `got` and `want` have the same length and agree within `tol` (absolute plus
/// relative to the expected value's size).
func expectClose(_ got: [Double], _ want: [Double], tol: Double, _ what: String) throws {
    guard got.count == want.count else {
        throw GradeFailure("\(what): expected \(want.count) values, got \(got.count)\n  expected \(show(want))\n  got      \(show(got))")
    }
    for i in want.indices where !(abs(got[i] - want[i]) <= tol * (1 + abs(want[i]))) {
        throw GradeFailure("\(what): value \(i) is \(fmt(got[i])), expected \(fmt(want[i]))\n  expected \(show(want))\n  got      \(show(got))")
    }
}

/// Fails unless one number agrees with the expected one within `tol` (absolute plus relative).
func expectClose(_ got: Double, _ want: Double, tol: Double, _ what: String) throws {
    guard abs(got - want) <= tol * (1 + abs(want)) else {
        throw GradeFailure("\(what): expected \(fmt(want)), got \(fmt(got))")
    }
}

/// Fails unless the two values are equal.
func expectEqual<T: Equatable>(_ got: T, _ want: T, _ what: String) throws {
    guard got == want else { throw GradeFailure("\(what):\n  expected \(want)\n  got      \(got)") }
}

/// Fails with `message` unless `condition` holds.
func expectTrue(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    guard condition else { throw GradeFailure(message()) }
}

/// Central-difference gradient of `f` at `x`, the grader's own: error O(h²).
func numericGradient(_ f: ([Double]) throws -> Double, at x: [Double], h: Double = 1e-5) rethrows -> [Double] {
    var g = [Double](repeating: 0, count: x.count)
    for i in x.indices {
        var xp = x, xm = x
        xp[i] += h
        xm[i] -= h
        g[i] = (try f(xp) - f(xm)) / (2 * h)
    }
    return g
}

/// A small deterministic generator for the grader's test inputs (SplitMix64), so the cases are
/// the same on every run and do not depend on the engine.
struct CaseRNG {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [lo, hi).
    mutating func uniform(_ lo: Double = -1, _ hi: Double = 1) -> Double {
        lo + (hi - lo) * Double(next() >> 11) / Double(1 << 53)
    }
    /// `n` uniform values in [lo, hi).
    mutating func values(_ n: Int, _ lo: Double = -1, _ hi: Double = 1) -> [Double] {
        (0..<n).map { _ in uniform(lo, hi) }
    }
}
