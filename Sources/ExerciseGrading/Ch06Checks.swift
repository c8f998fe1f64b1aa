import Foundation

/// Chapter 06's checks: values by hand and the KL's gradient by finite differences.
func ch06Checks(_ f: any Ch06Exercises.Type) -> [Exercise] {
    [
        Exercise(chapter: 6, id: "reparameterize", title: "the reparameterisation trick",
                 hint: "z = μ + exp(½·log σ²)·ε") {
            try expectClose(try f.reparameterize(mean: [0, 1], logVariance: [log(4), 0], noise: [1, -1]), [2, 0], tol: 1e-12,
                            "reparameterize(μ = [0, 1], log σ² = [log 4, 0], ε = [1, −1])")
            return "σ = 2 and σ = 1 by hand"
        },
        Exercise(chapter: 6, id: "gaussian-kl", title: "KL of a diagonal Gaussian to N(0, I)",
                 hint: "½·Σ(μ² + e^logσ² − 1 − logσ²)") {
            try expectClose(try f.gaussianKL(mean: [1, 0], logVariance: [0, log(2)]), 1 - 0.5 * log(2), tol: 1e-12,
                            "gaussianKL(μ = [1, 0], log σ² = [0, log 2])")
            try expectClose(try f.gaussianKL(mean: [0, 0, 0], logVariance: [0, 0, 0]), 0, tol: 1e-12, "gaussianKL of N(0, I) itself")
            return "by hand, and zero at the prior"
        },
        Exercise(chapter: 6, id: "kl-gradient", title: "the KL's gradient",
                 hint: "∂/∂μ = μ and ∂/∂logσ² = ½(e^logσ² − 1)") {
            var rng = CaseRNG(6)
            let mu = rng.values(4, -2, 2), lv = rng.values(4, -2, 2)
            func kl(_ m: [Double], _ v: [Double]) -> Double { 0.5 * m.indices.reduce(0) { $0 + m[$1] * m[$1] + exp(v[$1]) - 1 - v[$1] } }
            let got = try f.gaussianKLGradient(mean: mu, logVariance: lv)
            try expectClose(got.dMean, numericGradient({ kl($0, lv) }, at: mu), tol: 1e-7, "∂KL/∂μ (4 dimensions) against finite differences")
            try expectClose(got.dLogVariance, numericGradient({ kl(mu, $0) }, at: lv), tol: 1e-7, "∂KL/∂log σ² against finite differences")
            return "both gradients match finite differences"
        },
    ]
}
