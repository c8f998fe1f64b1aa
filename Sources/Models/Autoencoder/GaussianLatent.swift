import Engine

/// The two pieces of a VAE that are pure formulas: sampling a diagonal Gaussian so gradients reach
/// its parameters, and its KL divergence to the standard normal prior.

/// Draws z = μ + σ·ε with σ = exp(½·logVar), for a given standard-normal `noise` ε.
///
/// Sampling z ~ N(μ, σ²) directly would cut the graph: the draw is not a function of μ and σ. Moving
/// the randomness into ε, which needs no gradient, makes z a differentiable function of both, with
/// ∂z/∂μ = 1 and ∂z/∂logVar = ½·σ·ε (the reparameterisation trick). All three tensors share a shape.
public func reparameterize(mean: Tensor, logVar: Tensor, noise: Tensor) -> Tensor {
    precondition(mean.shape == logVar.shape && mean.shape == noise.shape,
                 "reparameterize: shapes differ: mean \(mean.shape), logVar \(logVar.shape), noise \(noise.shape)")
    return mean + (logVar * 0.5).exp() * noise
}

/// KL(N(μ, σ²) ‖ N(0, I)) in nats per example: ½·Σ(μ² + σ² − 1 − log σ²) over every axis but the
/// first, averaged over the first (batch) axis. Returns a scalar with graph.
///
/// The closed form holds because both distributions are Gaussian with diagonal covariance, so the
/// divergence splits into one term per latent coordinate.
public func gaussianKL(mean: Tensor, logVar: Tensor) -> Tensor {
    precondition(mean.shape == logVar.shape, "gaussianKL: mean \(mean.shape) and logVar \(logVar.shape) differ")
    precondition(mean.rank >= 1 && mean.shape[0] > 0, "gaussianKL needs a batch axis, got \(mean.shape)")
    let perCoordinate = mean.square() + logVar.exp() - logVar - 1
    return perCoordinate.sum(axes: Array(0..<mean.rank), keepDims: false) * (0.5 / Float(mean.shape[0]))
}
