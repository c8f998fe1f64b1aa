// Chapter 05, diffusion: the noise schedule, the forward process and a reverse step.
// Replace each `throw ExerciseError.notImplemented(…)` with your code, then run
// `swift run -c release grade 5`.

/// Chapter 05's exercises.
public enum Ch05 {
    /// Exercise 05.alpha-bar: the cumulative signal fraction of a noise schedule.
    ///
    /// - Task: given β₁ … β_T, return ᾱ_t = (1 − β₁)(1 − β₂)…(1 − β_t) for every t.
    /// - Shapes: the result has as many values as `betas`; result[0] = 1 − betas[0].
    /// - Hint: a running product. ᾱ falls from near 1 (almost clean) to near 0 (almost pure noise).
    public static func alphaBar(betas: [Double]) throws -> [Double] {
        throw ExerciseError.notImplemented("05.alpha-bar")
    }

    /// Exercise 05.noisy-sample: draw x_t from q(x_t | x₀) in one step.
    ///
    /// - Task: return x_t = √ᾱ_t·x₀ + √(1 − ᾱ_t)·ε for the given clean data and noise.
    /// - Shapes: x0 and noise have the same length; so does the result.
    /// - Hint: the square roots are what keep the variance at 1 when x₀ and ε both have
    ///   variance 1: ᾱ + (1 − ᾱ) = 1.
    public static func noisySample(x0: [Double], noise: [Double], alphaBar: Double) throws -> [Double] {
        throw ExerciseError.notImplemented("05.noisy-sample")
    }

    /// Exercise 05.ddim-step: one deterministic DDIM step (η = 0) from x_t to x_prev.
    ///
    /// - Task: estimate the clean data x̂₀ = (x_t − √(1 − ᾱ_t)·ε̂) / √ᾱ_t from the predicted
    ///   noise ε̂, then return x_prev = √ᾱ_prev·x̂₀ + √(1 − ᾱ_prev)·ε̂.
    /// - Shapes: xt and predictedNoise have the same length; so does the result.
    /// - Hint: the noise predictor predicts the total noise mixed in since x₀, so one prediction
    ///   gives x̂₀ at any step. If ε̂ is the true noise, the step lands exactly on
    ///   q(x_prev | x₀) with the same noise — the grader checks that.
    public static func ddimStep(xt: [Double], predictedNoise: [Double], alphaBar: Double,
                                alphaBarPrevious: Double) throws -> [Double] {
        throw ExerciseError.notImplemented("05.ddim-step")
    }
}
