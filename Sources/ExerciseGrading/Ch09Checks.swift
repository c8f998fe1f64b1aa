import Foundation

/// Chapter 09's checks: losses at logits that break a naive formula, σ in closed form.
func ch09Checks(_ f: any Ch09Exercises.Type) -> [Exercise] {
    [
        Exercise(chapter: 9, id: "generator-loss", title: "the non-saturating generator loss",
                 hint: "mean of softplus(−l), with softplus(z) = max(z, 0) + log(1 + e^−|z|)") {
            try expectClose(try f.generatorLoss(fakeLogits: [0, 2, -800]), (log(2) + log(1 + exp(-2.0)) + 800) / 3, tol: 1e-12,
                            "generatorLoss([0, 2, −800])")
            return "including a logit of −800"
        },
        Exercise(chapter: 9, id: "discriminator-loss", title: "the discriminator's loss",
                 hint: "mean softplus(−real) + mean softplus(fake)") {
            try expectClose(try f.discriminatorLoss(realLogits: [1, 800], fakeLogits: [-3]), log(1 + exp(-1.0)) / 2 + log(1 + exp(-3.0)),
                            tol: 1e-12, "discriminatorLoss(real = [1, 800], fake = [−3])")
            try expectClose(try f.discriminatorLoss(realLogits: [0], fakeLogits: [0, 0]), 2 * log(2), tol: 1e-12,
                            "discriminatorLoss at chance (all logits 0) = 2·log 2")
            return "confident, unsure and huge logits"
        },
        Exercise(chapter: 9, id: "spectral-norm", title: "the spectral norm by power iteration",
                 hint: "v₀ = ones/√cols; repeat u = Wv/‖Wv‖, v = Wᵀu/‖Wᵀu‖; return ‖Wv‖") {
            // W = [[3, 1], [1, 2], [0, 1]]: WᵀW = [[10, 5], [5, 6]], largest eigenvalue (16 + √116)/2.
            let w = [3.0, 1, 1, 2, 0, 1]
            try expectClose(try f.spectralNorm(w, rows: 3, columns: 2, iterations: 50), ((16 + 116.0.squareRoot()) / 2).squareRoot(),
                            tol: 1e-9, "spectralNorm([[3, 1], [1, 2], [0, 1]], 50 iterations)")
            // With no iterations the answer is ‖W·v₀‖ = ‖[4, 3, 1]‖/√2 = √13: this pins the starting vector.
            try expectClose(try f.spectralNorm(w, rows: 3, columns: 2, iterations: 0), 13.0.squareRoot(), tol: 1e-12,
                            "spectralNorm of the same W with 0 iterations")
            try expectClose(try f.spectralNorm([2, 0, 0, 0, -5, 0], rows: 2, columns: 3, iterations: 50), 5, tol: 1e-9,
                            "spectralNorm([[2, 0, 0], [0, −5, 0]], 50 iterations)")
            return "closed form on a 3×2 and a 2×3 matrix"
        },
    ]
}
