import Foundation

/// The grader's own masked cross-attention, written as plain loops: [pixels × d] outputs and
/// [pixels × tokens] weights.
private func crossAttentionByLoops(_ q: [Double], _ k: [Double], _ v: [Double], pixels: Int, tokens: Int, d: Int,
                                   mask: [Bool]) -> (weights: [Double], output: [Double]) {
    var weights = [Double](repeating: 0, count: pixels * tokens), output = [Double](repeating: 0, count: pixels * d)
    for p in 0..<pixels {
        let kept = (0..<tokens).filter { mask[$0] }
        let s = kept.map { l in (0..<d).reduce(0) { $0 + q[p * d + $1] * k[l * d + $1] } / Double(d).squareRoot() }
        let m = s.max()!, e = s.map { exp($0 - m) }, z = e.reduce(0, +)
        for (i, l) in kept.enumerated() {
            weights[p * tokens + l] = e[i] / z
            for a in 0..<d { output[p * d + a] += e[i] / z * v[l * d + a] }
        }
    }
    return (weights, output)
}

/// Chapter 08's checks: guidance by hand, cross-attention against loops, padding invariance.
func ch08Checks(_ f: any Ch08Exercises.Type) -> [Exercise] {
    [
        Exercise(chapter: 8, id: "guided-noise", title: "classifier-free guidance",
                 hint: "ε̂(∅) + w·(ε̂(c) − ε̂(∅)): w = 0 is unconditional, w = 1 conditional") {
            let u = [1.0, 2], c = [3.0, -2]
            try expectClose(try f.guidedNoise(unconditional: u, conditional: c, scale: 3), [7, -10], tol: 1e-12,
                            "guidedNoise(ε̂(∅) = [1, 2], ε̂(c) = [3, −2], w = 3)")
            try expectClose(try f.guidedNoise(unconditional: u, conditional: c, scale: 0), u, tol: 1e-12, "guidedNoise at w = 0")
            try expectClose(try f.guidedNoise(unconditional: u, conditional: c, scale: 1), c, tol: 1e-12, "guidedNoise at w = 1")
            return "w = 0, 1 and 3"
        },
        Exercise(chapter: 8, id: "cross-attention-weights", title: "pixel-to-token attention weights",
                 hint: "softmax over tokens (across each row) of queries·keysᵀ/√d; shape [pixels × tokens]") {
            var rng = CaseRNG(8)
            let pixels = 3, tokens = 2, d = 4
            let q = rng.values(pixels * d, -2, 2), k = rng.values(tokens * d, -2, 2)
            let want = crossAttentionByLoops(q, k, [Double](repeating: 0, count: tokens * d), pixels: pixels, tokens: tokens, d: d,
                                             mask: [true, true]).weights
            try expectClose(try f.crossAttentionWeights(queries: q, keys: k, pixels: pixels, tokens: tokens, d: d), want, tol: 1e-9,
                            "crossAttentionWeights(3 pixels, 2 tokens, d = 4)")
            return "3 pixels × 2 tokens"
        },
        Exercise(chapter: 8, id: "cross-attention", title: "cross-attention with padding",
                 hint: "padded tokens' scores go to −∞ before the softmax; output = weights·values") {
            var rng = CaseRNG(18)
            let pixels = 4, tokens = 3, d = 2
            let q = rng.values(pixels * d, -2, 2), k = rng.values(tokens * d, -2, 2), v = rng.values(tokens * d, -2, 2)
            let mask = [true, false, true]
            let want = crossAttentionByLoops(q, k, v, pixels: pixels, tokens: tokens, d: d, mask: mask).output
            try expectClose(try f.crossAttention(queries: q, keys: k, values: v, pixels: pixels, tokens: tokens, d: d, tokenMask: mask),
                            want, tol: 1e-9, "crossAttention(4 pixels, 3 tokens with token 1 padded, d = 2)")
            // Whatever the padding token holds must not matter.
            var k2 = k, v2 = v
            k2[2] = 50; k2[3] = -50; v2[2] = 1e6; v2[3] = -1e6
            try expectClose(try f.crossAttention(queries: q, keys: k2, values: v2, pixels: pixels, tokens: tokens, d: d, tokenMask: mask),
                            want, tol: 1e-9, "the same after changing the padded token's key and value")
            return "against loops, and blind to padding"
        },
    ]
}
