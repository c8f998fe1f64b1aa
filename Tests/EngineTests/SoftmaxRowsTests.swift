import Foundation
import Testing
@testable import Engine

/// The 16-lane softmax rows against a Double reference, with the error budget argued per step.
@Suite("SoftmaxRowsTests")
struct SoftmaxRowsTests {
    static let u = Double(Float.ulpOfOne) / 2   // unit roundoff 2⁻²⁴

    static func reference(_ x: [Float], scale: Float) -> (p: [Double], lse: Double) {
        let s = x.map { Double($0) * Double(scale) }
        let m = s.max()!
        let total = s.reduce(0) { $0 + exp($1 - m) }
        return (s.map { exp($0 - m) / total }, m + log(total))
    }

    /// Per entry: the argument scale·x − m is rounded (relative error of e ≤ u·|scale·x − m| ≤ 16u
    /// for a spread of ±8), vexp adds ≤ 2u, the lane sums ≤ (n/16 + 4)u, the reciprocal and product
    /// 2u. Doubled for slack; what a wrong lane, a lost tail entry or a wrong max would break is
    /// far larger.
    @Test("softmaxRow matches the Double softmax within the argued bound", arguments: [1, 7, 16, 33, 127, 300])
    func matchesDouble(n: Int) {
        var rng = RNG(seed: UInt64(n))
        let x = (0..<n).map { _ in rng.uniform(-8, 8) }
        let scale: Float = 0.7
        let (p, lse) = Self.reference(x, scale: scale)
        var y = [Float](repeating: .nan, count: n)
        let (m, s) = x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { softmaxRow(xp.baseAddress!, $0.baseAddress!, n, scale: scale) }
        }
        let bound = 2 * (16 + 2 + Double(n) / 16 + 4 + 2) * Self.u
        for j in 0..<n {
            #expect(abs(Double(y[j]) - p[j]) <= bound * p[j], "entry \(j) of \(n)")
        }
        #expect(abs(Double(m) + log(Double(s)) - lse) <= 1e-5 * max(1, abs(lse)))
        #expect(abs(y.reduce(0, +) - 1) < 1e-5)
    }

    @Test("a fully masked row is zeros, not NaN; a one-entry row is 1")
    func edges() {
        let x: [Float] = [-.infinity, -.infinity, -.infinity]
        var y = [Float](repeating: .nan, count: 3)
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { _ = softmaxRow(xp.baseAddress!, $0.baseAddress!, 3) } }
        #expect(y == [0, 0, 0])
        let one: [Float] = [42]
        var z: [Float] = [0]
        one.withUnsafeBufferPointer { xp in z.withUnsafeMutableBufferPointer { _ = softmaxRow(xp.baseAddress!, $0.baseAddress!, 1) } }
        #expect(z == [1])
    }

    @Test("cross-entropy and log-softmax match Double references", arguments: [3, 65, 130])
    func lossMatchesDouble(classes: Int) {
        let rows = 9
        let logits = randomTensor([rows, classes], seed: UInt64(classes), std: 3, requiresGrad: false)
        let targets = (0..<rows).map { ($0 * 7) % classes }
        var expected = 0.0
        let ls = logits.logSoftmax().values
        for r in 0..<rows {
            let (_, lse) = Self.reference(Array(logits.values[(r * classes)..<((r + 1) * classes)]), scale: 1)
            expected += lse - Double(logits.values[r * classes + targets[r]])
            for j in 0..<classes {
                let want = Double(logits.values[r * classes + j]) - lse
                #expect(abs(Double(ls[r * classes + j]) - want) <= 1e-5 * max(1, abs(want)))
            }
        }
        expected /= Double(rows)
        #expect(abs(Double(crossEntropy(logits, targets).item()) - expected) <= 1e-5 * max(1, expected))
    }
}
