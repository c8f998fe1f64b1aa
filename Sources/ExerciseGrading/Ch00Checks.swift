import Foundation

/// Chapter 00's checks: finite differences against closed-form gradients.
func ch00Checks(_ f: any Ch00Exercises.Type) -> [Exercise] {
    [
        Exercise(chapter: 0, id: "central-difference", title: "gradient by central differences",
                 hint: "(f(x + h·eᵢ) − f(x − h·eᵢ)) / (2h) for each i, with the h you are given") {
            // f = x₀³ + x₀x₁ + sin x₂. For x³ the central difference is exactly 3x² + h², so with
            // h = 0.1 the answer shows both that h was used and that the difference is central
            // (a forward difference gives 3x² + 3xh + h², off by 0.15 here).
            let fn: ([Double]) -> Double = { $0[0] * $0[0] * $0[0] + $0[0] * $0[1] + sin($0[2]) }
            let x = [0.5, -1.2, 0.3]
            let coarse = try f.centralDifference(fn, at: x, h: 0.1)
            let h = 0.1
            try expectClose(coarse, [3 * 0.25 - 1.2 + h * h, 0.5, (sin(0.4) - sin(0.2)) / 0.2], tol: 1e-9,
                            "f(x) = x₀³ + x₀·x₁ + sin x₂ at x = [0.5, −1.2, 0.3], h = 0.1")
            // At h = 1e-4 the error is O(h²) ≈ 1e-8; a forward difference would be off by ≈ 1.5e-4.
            let fine = try f.centralDifference(fn, at: x, h: 1e-4)
            try expectClose(fine, [3 * 0.25 - 1.2, 0.5, cos(0.3)], tol: 1e-6, "same f, h = 1e-4, against the exact gradient")
            return "exact on x³ at h = 0.1, within 1e-6 of the true gradient at h = 1e-4"
        },
        Exercise(chapter: 0, id: "linear-backward", title: "backward pass of y = x·Wᵀ + b",
                 hint: "dx = g·W [n×in], dW = gᵀ·x [out×in], db = column sums of g") {
            // L = Σ g ⊙ y is linear in x, W and b, so central differences are exact up to rounding.
            var rng = CaseRNG(1)
            let n = 2, inF = 3, outF = 4
            let x = rng.values(n * inF), w = rng.values(outF * inF), b = rng.values(outF), g = rng.values(n * outF)
            func loss(_ x: [Double], _ w: [Double], _ b: [Double]) -> Double {
                var total = 0.0
                for i in 0..<n { for o in 0..<outF {
                    var y = b[o]
                    for k in 0..<inF { y += x[i * inF + k] * w[o * inF + k] }
                    total += g[i * outF + o] * y
                } }
                return total
            }
            let got = try f.linearBackward(x: x, w: w, upstream: g, n: n, inFeatures: inF, outFeatures: outF)
            try expectClose(got.dx, numericGradient({ loss($0, w, b) }, at: x), tol: 1e-7, "dx (n = 2, in = 3, out = 4) against finite differences")
            try expectClose(got.dw, numericGradient({ loss(x, $0, b) }, at: w), tol: 1e-7, "dW against finite differences")
            try expectClose(got.db, numericGradient({ loss(x, w, $0) }, at: b), tol: 1e-7, "db against finite differences")
            return "dx, dW, db match finite differences on a 2×3 → 2×4 layer"
        },
        Exercise(chapter: 0, id: "layernorm-backward", title: "backward pass of layer norm",
                 hint: "ĝ = g⊙γ; dx = (ĝ − mean ĝ − x̂·mean(ĝ⊙x̂)) / √(σ² + eps); dγ = g⊙x̂; dβ = g") {
            var rng = CaseRNG(2)
            let x = rng.values(5, -2, 2), gamma = rng.values(5, 0.5, 1.5), beta = rng.values(5), g = rng.values(5)
            let eps = 1e-5
            func loss(_ x: [Double], _ gamma: [Double], _ beta: [Double]) -> Double {
                let mu = x.reduce(0, +) / 5
                let sd = (x.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / 5 + eps).squareRoot()
                return x.indices.reduce(0) { $0 + g[$1] * (gamma[$1] * (x[$1] - mu) / sd + beta[$1]) }
            }
            // The loss is smooth with O(1) derivatives: at h = 1e-5 central differences are good to ~1e-9.
            let got = try f.layerNormBackward(x: x, gamma: gamma, upstream: g, eps: eps)
            try expectClose(got.dx, numericGradient({ loss($0, gamma, beta) }, at: x), tol: 1e-6, "dx of one row of 5 against finite differences")
            try expectClose(got.dgamma, numericGradient({ loss(x, $0, beta) }, at: gamma), tol: 1e-6, "dγ against finite differences")
            try expectClose(got.dbeta, numericGradient({ loss(x, gamma, $0) }, at: beta), tol: 1e-6, "dβ against finite differences")
            return "dx, dγ, dβ match finite differences on a row of 5"
        },
    ]
}
