import Foundation

/// How much noise the forward process adds at each of its steps.
///
/// Step `t` in `0..<steps` is the paper's step t+1 (Ho et al. 2020 number from 1): x at step t is
/// drawn from q(x_t | x_{t−1}) = N(√α_t · x_{t−1}, β_t I), so after step t the data has been scaled
/// by √ᾱ_t and carries noise of variance 1 − ᾱ_t, with ᾱ_t = α_0·α_1·…·α_t. The values are kept
/// in Double: ᾱ falls to about 4e-5 at the end of the linear schedule and the products and square
/// roots of such numbers lose digits in Float.
public struct NoiseSchedule: Sendable, Equatable {
    /// Which formula produced the betas.
    public enum Kind: String, Sendable {
        /// β rises linearly from `start` to `end` (Ho et al. 2020: 1e-4 to 0.02 over 1000 steps).
        case linear
        /// ᾱ follows a squared cosine in t (Nichol & Dhariwal 2021), which destroys information
        /// more evenly over the steps than the linear schedule.
        case cosine
    }

    /// Which formula produced the betas.
    public let kind: Kind
    /// β_t, the variance of the noise added at step t.
    public let betas: [Double]
    /// α_t = 1 − β_t, the share of variance step t keeps.
    public let alphas: [Double]
    /// ᾱ_t = ∏_{s ≤ t} α_s: the signal's share of variance after step t.
    public let alphaBars: [Double]

    /// Number of noising steps T.
    public var steps: Int { betas.count }

    /// A schedule from its betas (each in (0, 1)).
    public init(kind: Kind, betas: [Double]) {
        precondition(!betas.isEmpty && betas.allSatisfy { $0 > 0 && $0 < 1 }, "NoiseSchedule: every beta must lie in (0, 1)")
        self.kind = kind
        self.betas = betas
        alphas = betas.map { 1 - $0 }
        var product = 1.0
        alphaBars = alphas.map { product *= $0; return product }
    }

    /// β evenly spaced from `start` to `end` over `steps` steps.
    public static func linear(steps: Int = 1000, start: Double = 1e-4, end: Double = 0.02) -> NoiseSchedule {
        precondition(steps >= 2, "NoiseSchedule.linear: need at least 2 steps, got \(steps)")
        let betas = (0..<steps).map { start + (end - start) * Double($0) / Double(steps - 1) }
        return NoiseSchedule(kind: .linear, betas: betas)
    }

    /// ᾱ(t) = f(t)/f(0) with f(t) = cos²(((t/T) + s)/(1 + s) · π/2); β_t = 1 − ᾱ_t/ᾱ_{t−1},
    /// capped at `maxBeta` because the formula sends the last β to 1 (a step that would erase
    /// everything and make the reverse step divide by zero).
    public static func cosine(steps: Int = 1000, offset: Double = 0.008, maxBeta: Double = 0.999) -> NoiseSchedule {
        precondition(steps >= 2, "NoiseSchedule.cosine: need at least 2 steps, got \(steps)")
        func f(_ t: Double) -> Double {
            let c = cos((t / Double(steps) + offset) / (1 + offset) * Double.pi / 2)
            return c * c
        }
        let betas = (0..<steps).map { i in min(1 - f(Double(i + 1)) / f(Double(i)), maxBeta) }
        return NoiseSchedule(kind: .cosine, betas: betas)
    }

    /// Signal-to-noise ratio after step t: ᾱ_t / (1 − ᾱ_t).
    public func signalToNoise(_ t: Int) -> Double { alphaBars[t] / (1 - alphaBars[t]) }

    /// ᾱ before step t (1 for t = 0: the clean data).
    public func alphaBarBefore(_ t: Int) -> Double { t == 0 ? 1 : alphaBars[t - 1] }

    /// Variance of the true posterior q(x_{t−1} | x_t, x_0): β̃_t = β_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t).
    /// It is 0 at t = 0, where x_{t−1} is the clean data and fully determined by x_0.
    public func posteriorVariance(_ t: Int) -> Double {
        betas[t] * (1 - alphaBarBefore(t)) / (1 - alphaBars[t])
    }

    /// Coefficients of the posterior mean μ̃_t = c₀·x_0 + c_t·x_t:
    /// c₀ = √ᾱ_{t−1} β_t / (1 − ᾱ_t) and c_t = √α_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t).
    public func posteriorCoefficients(_ t: Int) -> (x0: Double, xt: Double) {
        let before = alphaBarBefore(t)
        let denominator = 1 - alphaBars[t]
        return (before.squareRoot() * betas[t] / denominator, alphas[t].squareRoot() * (1 - before) / denominator)
    }
}
