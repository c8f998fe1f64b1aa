import Engine

/// Fills the unknown part of images with a diffusion model that was never trained for it
/// (RePaint, Lugmayr et al. 2022).
///
/// The trick: the reverse process only ever sees x_t. For the known pixels we can *make* an exact
/// x_t ourselves by noising the original to the current level, √ᾱ·x₀ + √(1−ᾱ)·ε. So at every
/// reverse step the sampler proposes the next x for the whole image, and the known pixels of that
/// proposal are replaced by the freshly noised original. The model then denoises a picture whose
/// known part is always consistent with the original, and its prediction for the hole has to agree
/// with it. Optional *resampling* (RePaint's "jumps" of length one) noises the merged x back up one
/// step and repeats it, giving the hole more steps to harmonise with its surroundings.
///
/// Steps run over an evenly spaced, descending subset of the schedule's timesteps with
/// `DDIMSampler`'s update (η = 1 on consecutive steps is exactly DDPM's ancestral step), so the same routine
/// serves the full 1000-step sampler and fast few-step ones.
public struct Inpainter {
    /// The schedule the model was trained with.
    public let schedule: NoiseSchedule
    /// Descending timesteps the reverse process visits, from near T−1 down to 0.
    public let timesteps: [Int]
    /// Noise scale of each reverse step: 0 deterministic (DDIM), 1 ancestral (DDPM).
    public let eta: Double
    /// How often each step is taken (1 = no resampling).
    public let resampling: Int
    /// Clip the predicted x₀ to ±this value (1 for images in [-1, 1]); nil leaves it.
    public let clipDenoised: Float?

    /// The sampler whose steps the inpainter takes between merges.
    let sampler: DDIMSampler

    /// An inpainter taking `steps` reverse steps (default: all of the schedule's; at least 2).
    public init(schedule: NoiseSchedule, steps: Int? = nil, eta: Double = 1, resampling: Int = 1, clipDenoised: Float? = 1) {
        precondition(resampling >= 1, "Inpainter: resampling must be ≥ 1, got \(resampling)")
        self.schedule = schedule
        self.eta = eta
        self.resampling = resampling
        self.clipDenoised = clipDenoised
        sampler = DDIMSampler(schedule: schedule, steps: steps ?? schedule.steps, eta: eta, clipDenoised: clipDenoised)
        timesteps = sampler.timesteps
    }

    /// ᾱ at timestep t, with ᾱ = 1 for the clean data at t = −1.
    func alphaBar(_ t: Int) -> Double { t < 0 ? 1 : schedule.alphaBars[t] }

    /// Inpaints `known` [N, ...] where `mask` (same shape) is 1 for known pixels and 0 for the hole.
    /// Starts from `start` (or fresh N(0, I)); `onStep(t, x)` sees x after each merged step, where t
    /// is the level just reached (−1 for the final image). Known pixels of the result equal `known`.
    public func inpaint(known: Tensor, mask: Tensor, start: Tensor? = nil, rng: inout RNG,
                        predictor: NoisePredictor, onStep: ((Int, Tensor) -> Void)? = nil) -> Tensor {
        precondition(known.shape == mask.shape, "Inpainter: mask \(mask.shape) must match the image shape \(known.shape)")
        let shape = known.shape, n = known.count, rows = shape[0]
        let x0 = known.values, m = mask.values
        var x: [Float]
        if let start {
            precondition(start.shape == shape, "Inpainter: start \(start.shape) must match \(shape)")
            x = start.values
        } else {
            x = (0..<n).map { _ in rng.normal() }
        }
        for (i, t) in timesteps.enumerated() {
            let s = i + 1 < timesteps.count ? timesteps[i + 1] : -1
            for round in 0..<resampling {
                let xt = Tensor(shape: shape, values: x)
                let eps = Tensor.noGrad { predictor(xt, [Int](repeating: t, count: rows)) }
                x = sampler.step(xt, t: t, to: s < 0 ? nil : s, predictedNoise: eps, rng: &rng).values
                // Merge: the known pixels, noised afresh to level s, replace the model's proposal.
                let a = alphaBar(s), sa = Float(a.squareRoot()), sn = Float((1 - a).squareRoot())
                for k in 0..<n where m[k] != 0 {
                    let knownAtS = s < 0 ? x0[k] : sa * x0[k] + sn * rng.normal()
                    x[k] = m[k] * knownAtS + (1 - m[k]) * x[k]
                }
                // Resample: noise the merged x back up from s to t and take the step again.
                if round + 1 < resampling && s >= 0 {
                    let ratio = alphaBar(t) / alphaBar(s)
                    let keep = Float(ratio.squareRoot()), add = Float((1 - ratio).squareRoot())
                    for k in 0..<n { x[k] = keep * x[k] + add * rng.normal() }
                }
            }
            onStep?(s, Tensor(shape: shape, values: x))
        }
        return Tensor(shape: shape, values: x)
    }
}
