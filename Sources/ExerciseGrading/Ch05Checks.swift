/// Chapter 05's checks: the schedule by hand and the DDIM step's fixed point.
func ch05Checks(_ f: any Ch05Exercises.Type) -> [Exercise] {
    [
        Exercise(chapter: 5, id: "alpha-bar", title: "the cumulative product ᾱ",
                 hint: "ᾱ_t = Π over s ≤ t of (1 − β_s); the first entry is already 1 − β₁") {
            try expectClose(try f.alphaBar(betas: [0.1, 0.2, 0.5]), [0.9, 0.72, 0.36], tol: 1e-12, "alphaBar([0.1, 0.2, 0.5])")
            try expectClose(try f.alphaBar(betas: [0.0, 1.0]), [1, 0], tol: 1e-12, "alphaBar([0, 1])")
            return "a three-step schedule by hand"
        },
        Exercise(chapter: 5, id: "noisy-sample", title: "x_t from q(x_t | x₀)",
                 hint: "√ᾱ·x₀ + √(1 − ᾱ)·ε — square roots on both weights") {
            try expectClose(try f.noisySample(x0: [1, -2], noise: [0.5, 0.5], alphaBar: 0.64), [1.1, -1.3], tol: 1e-12,
                            "noisySample(x₀ = [1, −2], ε = [0.5, 0.5], ᾱ = 0.64)")
            try expectClose(try f.noisySample(x0: [3], noise: [7], alphaBar: 1), [3], tol: 1e-12, "noisySample at ᾱ = 1 (clean)")
            return "by hand, and the clean end"
        },
        Exercise(chapter: 5, id: "ddim-step", title: "one DDIM step (η = 0)",
                 hint: "x̂₀ = (x_t − √(1−ᾱ_t)·ε̂)/√ᾱ_t, then √ᾱ_prev·x̂₀ + √(1−ᾱ_prev)·ε̂") {
            var rng = CaseRNG(5)
            let x0 = rng.values(6, -2, 2), eps = rng.values(6, -2, 2)
            func noisy(_ a: Double) -> [Double] { x0.indices.map { a.squareRoot() * x0[$0] + (1 - a).squareRoot() * eps[$0] } }
            // With the true noise, the step from ᾱ = 0.3 must land on q(x_prev | x₀) at ᾱ = 0.7 exactly.
            try expectClose(try f.ddimStep(xt: noisy(0.3), predictedNoise: eps, alphaBar: 0.3, alphaBarPrevious: 0.7), noisy(0.7),
                            tol: 1e-9, "ddimStep(x_t at ᾱ = 0.3, the true noise, to ᾱ = 0.7)")
            // With ᾱ_prev = 1 the step returns its estimate of x₀ for any predicted noise.
            let guess = rng.values(6)
            let x0Hat = x0.indices.map { (noisy(0.5)[$0] - 0.5.squareRoot() * guess[$0]) / 0.5.squareRoot() }
            try expectClose(try f.ddimStep(xt: noisy(0.5), predictedNoise: guess, alphaBar: 0.5, alphaBarPrevious: 1), x0Hat,
                            tol: 1e-9, "ddimStep(to ᾱ = 1, a wrong noise guess) must return x̂₀")
            return "lands on q(x_prev | x₀) with the true noise"
        },
    ]
}
