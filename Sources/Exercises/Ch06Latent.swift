// Chapter 06, latent space: the VAE's sampling trick and its KL term.
// Replace each `throw ExerciseError.notImplemented(…)` with your code, then run
// `swift run -c release grade 6`.

/// Chapter 06's exercises.
public enum Ch06 {
    /// Exercise 06.reparameterize: sample z from N(μ, σ²) so gradients reach μ and σ.
    ///
    /// - Task: the encoder outputs μ and log σ² per latent dimension; return z = μ + σ·ε with
    ///   σ = exp(½·log σ²) and ε the given standard normal noise.
    /// - Shapes: mean, logVariance and noise have the same length; so does z.
    /// - Hint: σ is exp of *half* the log-variance: exp(log σ²) would be the variance.
    public static func reparameterize(mean: [Double], logVariance: [Double], noise: [Double]) throws -> [Double] {
        throw ExerciseError.notImplemented("06.reparameterize")
    }

    /// Exercise 06.gaussian-kl: KL(N(μ, diag σ²) ‖ N(0, I)), the VAE's regulariser.
    ///
    /// - Task: return ½·Σᵢ (μᵢ² + σᵢ² − 1 − log σᵢ²) with σᵢ² = exp(logVarianceᵢ).
    /// - Shapes: mean and logVariance have the same length; the result is one number ≥ 0.
    /// - Hint: it is 0 exactly when μ = 0 and σ = 1. Do not forget the ½.
    public static func gaussianKL(mean: [Double], logVariance: [Double]) throws -> Double {
        throw ExerciseError.notImplemented("06.gaussian-kl")
    }

    /// Exercise 06.kl-gradient: the gradient of that KL with respect to μ and log σ².
    ///
    /// - Task: return ∂KL/∂μᵢ and ∂KL/∂(log σᵢ²).
    /// - Shapes: two arrays, each as long as `mean`.
    /// - Hint: differentiate ½(μ² + e^v − 1 − v) by μ and by v. The grader compares your answer
    ///   with finite differences of the KL itself.
    public static func gaussianKLGradient(mean: [Double], logVariance: [Double]) throws -> (dMean: [Double], dLogVariance: [Double]) {
        throw ExerciseError.notImplemented("06.kl-gradient")
    }
}
