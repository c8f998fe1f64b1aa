import Ch02Attention
import Engine
import Testing

/// Steps 1 and 2 against the definition written as plain loops.
@Suite struct AttentionMathTests {
    /// Attention written as directly as possible: for each query, scores with every allowed key,
    /// softmax, weighted sum of values. Shares no code with the chapter.
    func tripleLoop(q: [[Float]], k: [[Float]], v: [[Float]], causal: Bool) -> (weights: [[Float]], output: [[Float]]) {
        let t = q.count, d = q[0].count
        var weights: [[Float]] = [], output: [[Float]] = []
        for i in 0..<t {
            let last = causal ? i : t - 1
            var s = [Double](repeating: -.infinity, count: t)
            for j in 0...last {
                var dot = 0.0
                for e in 0..<d { dot += Double(q[i][e]) * Double(k[j][e]) }
                s[j] = dot / Double(d).squareRoot()
            }
            let m = s.max()!
            let e = s.map { $0 == -.infinity ? 0 : exp($0 - m) }
            let z = e.reduce(0, +)
            let w = e.map { $0 / z }
            var o = [Double](repeating: 0, count: v[0].count)
            for j in 0..<t { for c in o.indices { o[c] += w[j] * Double(v[j][c]) } }
            weights.append(w.map(Float.init))
            output.append(o.map(Float.init))
        }
        return (weights, output)
    }

    func randomRows(_ rows: Int, _ cols: Int, _ rng: inout RNG) -> [[Float]] {
        (0..<rows).map { _ in (0..<cols).map { _ in 1.5 * rng.normal() } }
    }

    // Entries are O(1) (outputs are convex blends of values with |v| ≲ 6); float32 keeps about
    // 7 digits and each result passes through a dot product of ≤ 8 terms, an exp and a sum of
    // ≤ 12 terms, so 1e-5 is several hundred ulps of headroom, while any wrong scale, missing
    // mask or transposed product is off by ≥ 1e-2.
    let tolerance: Float = 1e-5

    @Test(arguments: [false, true])
    func matrixFormMatchesLoops(causal: Bool) {
        var rng = RNG(seed: causal ? 11 : 12)
        let t = 12, d = 8, dv = 5
        let q = randomRows(t, d, &rng), k = randomRows(t, d, &rng), v = randomRows(t, dv, &rng)
        let expected = tripleLoop(q: q, k: k, v: v, causal: causal)
        let r = scaledDotProductAttention(q: Tensor(shape: [t, d], values: q.flatMap { $0 }),
                                          k: Tensor(shape: [t, d], values: k.flatMap { $0 }),
                                          v: Tensor(shape: [t, dv], values: v.flatMap { $0 }), causal: causal)
        for i in 0..<t {
            for j in 0..<t { #expect(abs(r.weights[i, j] - expected.weights[i][j]) <= tolerance) }
            for c in 0..<dv { #expect(abs(r.output[i, c] - expected.output[i][c]) <= tolerance) }
        }
    }

    @Test func singleQueryMatchesLoops() {
        var rng = RNG(seed: 13)
        let t = 7, d = 6
        let q = randomRows(t, d, &rng), k = randomRows(t, d, &rng), v = randomRows(t, 3, &rng)
        let expected = tripleLoop(q: q, k: k, v: v, causal: true)
        // Under the causal mask, query i is exactly a single query against keys 0…i.
        for i in 0..<t {
            let one = attendOne(query: q[i], keys: Array(k[0...i]), values: Array(v[0...i]))
            for j in 0...i { #expect(abs(one.weights[j] - expected.weights[i][j]) <= tolerance) }
            for c in 0..<3 { #expect(abs(one.output[c] - expected.output[i][c]) <= tolerance) }
        }
    }

    @Test func workedExampleByHand() {
        // The chapter's example: scores 0, 3, 1, 1 at d = 4, so scaled 0, 1.5, 0.5, 0.5.
        let r = attendOne(query: WorkedExample.query, keys: WorkedExample.keys, values: WorkedExample.values)
        #expect(r.scores == [0, 3, 1, 1])
        #expect(r.scaled == [0, 1.5, 0.5, 0.5])
        let z = 1 + exp(1.5) + 2 * exp(0.5)
        let w = [1 / z, exp(1.5) / z, exp(0.5) / z, exp(0.5) / z]
        for j in 0..<4 { #expect(abs(Double(r.weights[j]) - w[j]) < 1e-6) }
    }

    @Test func causalMaskBlocksTheLastToken() {
        var rng = RNG(seed: 14)
        let t = 6, d = 4
        let q = Tensor(shape: [t, d], values: randomRows(t, d, &rng).flatMap { $0 })
        let k = Tensor(shape: [t, d], values: randomRows(t, d, &rng).flatMap { $0 })
        let v = Tensor(shape: [t, d], values: randomRows(t, d, &rng).flatMap { $0 })
        let key: [Float] = [3, -3, 3, -3], value: [Float] = [5, 5, 5, 5]
        #expect(backwardLeak(q: q, k: k, v: v, replacementKey: key, replacementValue: value, causal: true) == 0)
        #expect(backwardLeak(q: q, k: k, v: v, replacementKey: key, replacementValue: value, causal: false) > 0.1)
    }

    @Test func softmaxIsStableAndNormalised() {
        let p = softmax([1000, 1001, 999])
        #expect(p.allSatisfy { $0.isFinite })
        #expect(abs(p.reduce(0, +) - 1) < 1e-6)
        #expect(abs(p[1] - Float(exp(1.0) / (1 + exp(1.0) + exp(-1.0)))) < 1e-6)
    }
}
