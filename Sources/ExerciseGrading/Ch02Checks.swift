import Foundation

/// Chapter 02's checks: the mask's diagonal, softmax at the edges of floating point, and
/// attention against the grader's own loops.
func ch02Checks(_ f: any Ch02Exercises.Type) -> [Exercise] {
    [
        Exercise(chapter: 2, id: "causal-mask", title: "the causal mask",
                 hint: "entry (i, j) is true exactly when j > i; the diagonal stays visible") {
            func rows(_ m: [Bool], _ t: Int) -> String {
                stride(from: 0, to: m.count, by: max(t, 1)).map { s in
                    "[" + m[s..<min(s + t, m.count)].map { $0 ? "T" : "F" }.joined(separator: " ") + "]"
                }.joined(separator: " ")
            }
            for t in [1, 3, 6] {
                let got = try f.causalMask(t)
                let want = (0..<(t * t)).map { ($0 % t) > ($0 / t) }
                guard got == want else {
                    throw GradeFailure("causalMask(\(t)):\n  expected \(rows(want, t))\n  got      \(rows(got, t))")
                }
            }
            return "t = 1, 3 and 6"
        },
        Exercise(chapter: 2, id: "stable-softmax", title: "a softmax that survives large and −∞ scores",
                 hint: "subtract the maximum score before exp; exp(−∞) = 0") {
            let e = exp(1.0)
            try expectClose(try f.stableSoftmax([1, 2]), [1 / (1 + e), e / (1 + e)], tol: 1e-12, "stableSoftmax([1, 2])")
            try expectClose(try f.stableSoftmax([1000, 1000]), [0.5, 0.5], tol: 1e-12, "stableSoftmax([1000, 1000])")
            try expectClose(try f.stableSoftmax([0, -.infinity, 0]), [0.5, 0, 0.5], tol: 1e-12, "stableSoftmax([0, −∞, 0])")
            try expectClose(try f.stableSoftmax([-1000, 0]), [0, 1], tol: 1e-12, "stableSoftmax([−1000, 0])")
            return "small, huge and masked scores"
        },
        Exercise(chapter: 2, id: "attention", title: "scaled dot-product attention",
                 hint: "softmax(q·kᵀ/√d) row by row (mask first if causal), then times v") {
            var rng = CaseRNG(3)
            let t = 4, d = 4
            let q = rng.values(t * d, -2, 2), k = rng.values(t * d, -2, 2), v = rng.values(t * d, -2, 2)
            func reference(causal: Bool) -> [Double] {
                var out = [Double](repeating: 0, count: t * d)
                for i in 0..<t {
                    let keys = causal ? i + 1 : t
                    let s = (0..<keys).map { j in (0..<d).reduce(0) { $0 + q[i * d + $1] * k[j * d + $1] } / 2 }  // √4 = 2
                    let m = s.max()!
                    let w = s.map { exp($0 - m) }, z = w.reduce(0, +)
                    for j in 0..<keys { for a in 0..<d { out[i * d + a] += w[j] / z * v[j * d + a] } }
                }
                return out
            }
            try expectClose(try f.attention(q: q, k: k, v: v, t: t, d: d, causal: false), reference(causal: false), tol: 1e-9,
                            "attention, t = 4, d = 4, no mask")
            let causal = try f.attention(q: q, k: k, v: v, t: t, d: d, causal: true)
            try expectClose(causal, reference(causal: true), tol: 1e-9, "attention, t = 4, d = 4, causal")
            // The first position can only see itself, so its output is its own value exactly.
            try expectClose(Array(causal.prefix(d)), Array(v.prefix(d)), tol: 1e-12, "causal output at position 0 (must equal v₀)")
            return "open and causal, t = 4, d = 4"
        },
    ]
}
