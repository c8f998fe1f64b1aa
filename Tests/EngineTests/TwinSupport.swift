import Foundation
import Testing
@testable import Engine

// Support for the reference-twin property tests: every fast op against its plain-loop twin in
// Sources/Engine/Reference, forward and backward, on thousands of random legal configurations.
//
// Why a seeded generator and plain loops rather than a property-testing package: the project's
// dependencies are the toolchain, libpng and swift-argument-parser only, and what such a package
// adds here (shrinking) matters little when the shapes are already tiny; a failing configuration
// is printed whole and is reproduced by its seed.
//
// Tolerances are first-order rounding bounds, argued per op beside each test from the order of the
// fast path's sums: a float32 sum of L terms, in any order, is within γ_L·Σ|terms| of the exact
// sum (γ_L = L·u/(1 − L·u), u = 2⁻²⁴); the Double reference's own error is negligible except for
// its final rounding to float32 (u·|value|). A wrong index or a missing term is off by a sizeable
// fraction of the value, orders of magnitude above these bounds.

/// u = 2⁻²⁴, the unit roundoff of float32.
let unitRoundoff = 1.0 / 16_777_216

/// How many random configurations each twin test draws: 2,000, or `ENGINE_TWIN_CASES` when set
/// (e.g. `ENGINE_TWIN_CASES=50000 swift test -c release --filter Twin`).
let twinCases: Int = ProcessInfo.processInfo.environment["ENGINE_TWIN_CASES"].flatMap { Int($0) } ?? 2_000

/// A seeded source of random configurations.
struct Draw {
    var rng: RNG
    init(seed: UInt64) { rng = RNG(seed: seed) }

    /// A uniform integer in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + rng.int(range.count) }
    /// true with probability `p`.
    mutating func chance(_ p: Float) -> Bool { rng.uniform() < p }
    /// One of `options`.
    mutating func pick<T>(_ options: [T]) -> T { options[rng.int(options.count)] }
    /// `count` normal values with standard deviation `std` around `mean`.
    mutating func values(_ count: Int, std: Float = 1, mean: Float = 0) -> [Float] {
        (0..<count).map { _ in rng.normal(mean: mean, std: std) }
    }
    /// A tensor shape whose elements are `rows` rows of `last`, as rank 2 or split into two leading axes.
    mutating func rowsShape(_ rows: Int, _ last: Int) -> [Int] {
        if rows > 1 && rows % 2 == 0 && chance(0.5) { return [2, rows / 2, last] }
        return [rows, last]
    }
}

/// The worst error, as a fraction of its bound, over every element compared; ≤ 1 passes.
struct TwinCheck {
    private(set) var worst = 0.0
    private(set) var worstCase = "nothing compared"
    private(set) var cases = 0
    private(set) var elements = 0

    /// Counts one configuration.
    mutating func countCase() { cases += 1 }

    /// Compares element by element: |got − want| ≤ bound. A NaN anywhere, or any difference where
    /// the bound is 0, fails.
    mutating func compare(_ got: [Float], _ want: [Float], bound: [Double], _ what: @autoclosure () -> String) {
        guard got.count == want.count, got.count == bound.count else {
            worst = .infinity
            worstCase = "\(what()): \(got.count) values, expected \(want.count) (\(bound.count) bounds)"
            return
        }
        for i in 0..<got.count {
            elements += 1
            let err = abs(Double(got[i]) - Double(want[i]))
            let ratio = err == 0 ? 0 : (err.isNaN || !(bound[i] > 0) ? .infinity : err / bound[i])
            if ratio > worst || (ratio.isNaN && !worst.isNaN) {
                worst = ratio
                worstCase = "\(what()): element \(i) is \(got[i]), reference \(want[i]), bound \(bound[i])"
            }
        }
    }

    /// Records the check's verdict in the test: at least `twinCases` configurations, all within bound.
    func expectPassed(_ op: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(cases >= twinCases, "\(op): only \(cases) configurations", sourceLocation: sourceLocation)
        #expect(elements > 0, "\(op): nothing compared", sourceLocation: sourceLocation)
        #expect(worst <= 1, "\(op): error reached \(worst) of its bound; worst \(worstCase)", sourceLocation: sourceLocation)
        // How tight the bound is, for the record (the engine README quotes these).
        print("twin \(op): \(cases) configurations, \(elements) values, worst error \(String(format: "%.3g", worst)) of its bound")
    }
}

/// A leaf tensor that records gradients.
func leaf(_ shape: [Int], _ values: [Float]) -> Tensor { Tensor(shape: shape, values: values, requiresGrad: true) }

/// Elementwise |x|.
func absolute(_ x: [Float]) -> [Float] { x.map { abs($0) } }

/// The gradient of a leaf after backward, or NaNs when it has none (so the comparison fails loudly).
func gradient(_ t: Tensor) -> [Float] { t.grad?.values ?? [Float](repeating: .nan, count: t.count) }

/// (L + extra)·u·scale for every element: the bound of a float32 sum of L terms whose absolute
/// values sum to `scale`, with `extra` further roundings (a bias, the reference's final rounding).
func sumBound(_ scale: [Float], terms: Int, extra: Int = 3) -> [Double] {
    scale.map { Double(terms + extra) * unitRoundoff * Double($0) }
}

/// Runs `body` on `twinCases` configurations drawn from `seed`, then records the verdict.
func checkTwin(_ op: String, seed: UInt64, sourceLocation: SourceLocation = #_sourceLocation,
               _ body: (inout Draw, inout TwinCheck) -> Void) {
    var draw = Draw(seed: seed), check = TwinCheck()
    for _ in 0..<twinCases {
        body(&draw, &check)
        check.countCase()
    }
    check.expectPassed(op, sourceLocation: sourceLocation)
}
