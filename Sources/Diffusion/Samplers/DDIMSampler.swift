import Engine

/// DDIM sampling (Song et al. 2021): jump between a few of the training timesteps.
///
/// From x_t and the model's ε̂ it forms x̂_0, then rebuilds the sample at an earlier step s as
/// x_s = √ᾱ_s · x̂_0 + √(1 − ᾱ_s − σ²) · ε̂ + σ z, with
/// σ = η · √((1 − ᾱ_s)/(1 − ᾱ_t)) · √(1 − ᾱ_t/ᾱ_s). With η = 0 no fresh noise enters, so the
/// whole trajectory is a deterministic function of the starting noise; η = 1 matches DDPM's
/// variance when every step is used. The same trained model serves both samplers.
public struct DDIMSampler {
    /// The noise schedule the model was trained with.
    public let schedule: NoiseSchedule
    /// Amount of fresh noise per step: 0 deterministic, 1 DDPM-like.
    public let eta: Double
    /// If set, x̂_0 is clamped to ±clipDenoised (and ε̂ made consistent with it).
    public let clipDenoised: Float?
    /// If set, channel c of x̂_0 (axis 1) is clamped to `channelRanges[c]` (and ε̂ made consistent),
    /// for data whose channels span different ranges, such as an autoencoder's latents.
    public let channelRanges: [ClosedRange<Float>]?
    /// The visited timesteps, descending, evenly spaced from T−1 down to 0.
    public let timesteps: [Int]

    /// A sampler that visits `steps` timesteps (2 ≤ steps ≤ T).
    public init(schedule: NoiseSchedule, steps: Int, eta: Double = 0, clipDenoised: Float? = nil,
                channelRanges: [ClosedRange<Float>]? = nil) {
        precondition(steps >= 2 && steps <= schedule.steps, "DDIMSampler: steps must lie in 2...\(schedule.steps), got \(steps)")
        precondition(eta >= 0, "DDIMSampler: eta must be ≥ 0, got \(eta)")
        self.schedule = schedule
        self.eta = eta
        self.clipDenoised = clipDenoised
        self.channelRanges = channelRanges
        let last = Double(schedule.steps - 1)
        timesteps = (0..<steps).reversed().map { Int((last * Double($0) / Double(steps - 1)).rounded()) }
    }

    /// One jump from x_t to the earlier step `to` (nil: the clean data).
    public func step(_ xt: Tensor, t: Int, to earlier: Int?, predictedNoise: Tensor, rng: inout RNG) -> Tensor {
        Tensor.noGrad {
            let rows = Array(repeating: t, count: xt.shape[0])
            var x0 = schedule.predictedX0(xt: xt, t: rows, noise: predictedNoise)
            var eps = predictedNoise
            let aT = schedule.alphaBars[t]
            if let c = clipDenoised { x0 = x0.clampedNoGrad(-c, c) }
            if let ranges = channelRanges { x0 = x0.clampedPerChannelNoGrad(ranges) }
            if clipDenoised != nil || channelRanges != nil {
                eps = (xt - x0.scaled(Float(aT.squareRoot()))).scaled(Float(1 / (1 - aT).squareRoot()))
            }
            let aS = earlier.map { schedule.alphaBars[$0] } ?? 1
            let sigma = eta * ((1 - aS) / (1 - aT)).squareRoot() * (1 - aT / aS).squareRoot()
            var x = x0.scaled(Float(aS.squareRoot())) + eps.scaled(Float(max(1 - aS - sigma * sigma, 0).squareRoot()))
            if sigma > 0 { x = x + Tensor.randn(xt.shape, rng: &rng).scaled(Float(sigma)) }
            return x
        }
    }

    /// Runs the jumps from `start` (or fresh N(0, I) noise of `shape`, drawn from `rng` first);
    /// `onStep(t, x)` sees the new x after leaving timestep t.
    public func sample(shape: [Int], start: Tensor? = nil, rng: inout RNG, predictor: NoisePredictor,
                       onStep: ((Int, Tensor) -> Void)? = nil) -> Tensor {
        var x = start ?? Tensor.randn(shape, rng: &rng)
        for (i, t) in timesteps.enumerated() {
            let earlier = i + 1 < timesteps.count ? timesteps[i + 1] : nil
            let eps = Tensor.noGrad { predictor(x, Array(repeating: t, count: x.shape[0])) }
            x = step(x, t: t, to: earlier, predictedNoise: eps, rng: &rng)
            onStep?(t, x)
        }
        return x
    }
}
