import Engine

/// A noise predictor: given x_t [N, ...] and one timestep per row, the predicted noise (same shape).
public typealias NoisePredictor = (_ xt: Tensor, _ t: [Int]) -> Tensor

extension NoiseSchedule {
    /// One coefficient per row of a [N, ...] tensor, shaped [N, 1, …, 1] so it broadcasts over the rest.
    func perRow(_ values: [Double], like x: Tensor) -> Tensor {
        precondition(values.count == x.shape[0], "diffusion: \(values.count) timesteps for a batch of \(x.shape[0])")
        return Tensor(shape: [values.count] + Array(repeating: 1, count: x.rank - 1), values: values.map { Float($0) })
    }

    func checkTimesteps(_ t: [Int]) {
        for s in t { precondition(s >= 0 && s < steps, "diffusion: timestep \(s) outside 0..<\(steps)") }
    }

    /// x_t drawn from q(x_t | x_0) in closed form: √ᾱ_t · x_0 + √(1 − ᾱ_t) · ε, one t per row.
    /// Differentiable in x_0 and ε.
    public func noised(_ x0: Tensor, t: [Int], noise: Tensor) -> Tensor {
        checkTimesteps(t)
        precondition(x0.shape == noise.shape, "noised: x0 \(x0.shape) and noise \(noise.shape) differ in shape")
        let signal = perRow(t.map { alphaBars[$0].squareRoot() }, like: x0)
        let spread = perRow(t.map { (1 - alphaBars[$0]).squareRoot() }, like: x0)
        return x0 * signal + noise * spread
    }

    /// The clean data implied by x_t and a noise estimate: (x_t − √(1 − ᾱ_t) ε̂) / √ᾱ_t.
    public func predictedX0(xt: Tensor, t: [Int], noise: Tensor) -> Tensor {
        checkTimesteps(t)
        let inverseSignal = perRow(t.map { 1 / alphaBars[$0].squareRoot() }, like: xt)
        let spread = perRow(t.map { (1 - alphaBars[$0]).squareRoot() }, like: xt)
        return (xt - noise * spread) * inverseSignal
    }

    /// Mean of the true posterior q(x_{t−1} | x_t, x_0): c₀·x_0 + c_t·x_t (see `posteriorCoefficients`).
    public func posteriorMean(x0: Tensor, xt: Tensor, t: [Int]) -> Tensor {
        checkTimesteps(t)
        let c = t.map { posteriorCoefficients($0) }
        return x0 * perRow(c.map(\.x0), like: x0) + xt * perRow(c.map(\.xt), like: xt)
    }
}

/// The simplified training objective of Ho et al. (2020) on one batch: draw t uniformly from
/// 0..<T and ε ~ N(0, I) for every row, noise the batch to x_t, and return the mean squared error
/// between `predictor(x_t, t)` and ε. The draws come from `rng` in a fixed order (timesteps, then
/// noise), so a seed fixes the whole loss.
public func denoisingLoss(_ x0: Tensor, schedule: NoiseSchedule, rng: inout RNG, predictor: NoisePredictor) -> Tensor {
    let t = (0..<x0.shape[0]).map { _ in rng.int(schedule.steps) }
    let noise = Tensor.randn(x0.shape, rng: &rng)
    let xt = Tensor.noGrad { schedule.noised(x0, t: t, noise: noise) }
    return mseLoss(predictor(xt, t), noise)
}
