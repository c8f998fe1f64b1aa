import Foundation

/// Reference solutions to chapter 06's exercises.
public enum Ch06 {
    /// μ + exp(½ log σ²)·ε.
    public static func reparameterize(mean: [Double], logVariance: [Double], noise: [Double]) throws -> [Double] {
        mean.indices.map { mean[$0] + exp(0.5 * logVariance[$0]) * noise[$0] }
    }

    /// ½ Σ (μ² + σ² − 1 − log σ²).
    public static func gaussianKL(mean: [Double], logVariance: [Double]) throws -> Double {
        0.5 * mean.indices.reduce(0) { $0 + mean[$1] * mean[$1] + exp(logVariance[$1]) - 1 - logVariance[$1] }
    }

    /// ∂/∂μ = μ, ∂/∂v = ½(eᵛ − 1).
    public static func gaussianKLGradient(mean: [Double], logVariance: [Double]) throws -> (dMean: [Double], dLogVariance: [Double]) {
        (mean, logVariance.map { 0.5 * (exp($0) - 1) })
    }
}
