import Engine

/// Ancestral sampling (Ho et al. 2020): walk the chain back from pure noise one step at a time,
/// each step drawing x_{t−1} from the Gaussian the model believes q(x_{t−1} | x_t, x_0) to be.
///
/// The model's noise estimate gives an estimate of x_0; the step then uses the true posterior's
/// mean and variance with that estimate in place of x_0. With x̂_0 unclipped this is the familiar
/// μ = (x_t − β_t/√(1 − ᾱ_t) · ε̂)/√α_t; clipping x̂_0 to the data's range (images live in [−1, 1])
/// stops early, very noisy steps from throwing samples far outside it.
public struct DDPMSampler {
    /// The noise schedule the model was trained with.
    public let schedule: NoiseSchedule
    /// If set, x̂_0 is clamped to ±clipDenoised before the posterior mean is formed.
    public let clipDenoised: Float?

    /// A sampler for `schedule`; pass `clipDenoised: 1` for data in [−1, 1].
    public init(schedule: NoiseSchedule, clipDenoised: Float? = nil) {
        self.schedule = schedule
        self.clipDenoised = clipDenoised
    }

    /// One step x_t → x_{t−1} given the predicted noise. At t = 0 it returns the posterior mean,
    /// adding no noise: the last step lands on the data.
    public func step(_ xt: Tensor, t: Int, predictedNoise: Tensor, rng: inout RNG) -> Tensor {
        Tensor.noGrad {
            let rows = Array(repeating: t, count: xt.shape[0])
            var x0 = schedule.predictedX0(xt: xt, t: rows, noise: predictedNoise)
            if let c = clipDenoised { x0 = x0.clampedNoGrad(-c, c) }
            let mean = schedule.posteriorMean(x0: x0, xt: xt, t: rows)
            if t == 0 { return mean }
            let sigma = Float(schedule.posteriorVariance(t).squareRoot())
            return mean + Tensor.randn(xt.shape, rng: &rng).scaled(sigma)
        }
    }

    /// Runs every step from x_{T−1} = `start` (or fresh N(0, I) noise of `shape`, drawn from
    /// `rng` first) down to the data; `onStep(t, x)` sees the new x after each step.
    public func sample(shape: [Int], start: Tensor? = nil, rng: inout RNG, predictor: NoisePredictor,
                       onStep: ((Int, Tensor) -> Void)? = nil) -> Tensor {
        var x = start ?? Tensor.randn(shape, rng: &rng)
        for t in stride(from: schedule.steps - 1, through: 0, by: -1) {
            let eps = Tensor.noGrad { predictor(x, Array(repeating: t, count: x.shape[0])) }
            x = step(x, t: t, predictedNoise: eps, rng: &rng)
            onStep?(t, x)
        }
        return x
    }
}
