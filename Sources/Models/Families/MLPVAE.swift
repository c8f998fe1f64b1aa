import Engine

/// The terms of a VAE's training loss for one batch, each averaged over the batch.
public struct VAELoss {
    /// reconstruction + β·KL, the scalar to call `backward()` on.
    public let total: Tensor
    /// −log p(x | z) under the Gaussian decoder, in nats per example.
    public let reconstruction: Tensor
    /// KL(q(z | x) ‖ N(0, I)) in nats per example.
    public let kl: Tensor
}

/// The negative evidence lower bound of a VAE with a Gaussian decoder of fixed standard deviation s:
/// −ELBO = E_q[−log p(x | z)] + β·KL(q(z | x) ‖ p(z)), with
/// −log p(x | z) = Σ_d (x_d − μ_d)²/(2s²) + (D/2)·log(2πs²) for D coordinates.
///
/// β = 1 is the true bound (a lower bound on log p(x)). A smaller β trusts reconstruction more
/// and the prior less; multiplying the whole loss by 2s² shows that β and s trade off one for one,
/// so a fixed s and a chosen β are one knob. `decoded` is μ(z) for one z drawn per example.
public func vaeNegativeELBO(x: Tensor, decoded: Tensor, mean: Tensor, logVar: Tensor, decoderStd: Float, beta: Float) -> VAELoss {
    precondition(x.shape == decoded.shape, "vaeNegativeELBO: x \(x.shape) and decoded \(decoded.shape) differ")
    precondition(decoderStd > 0, "vaeNegativeELBO: decoderStd must be > 0, got \(decoderStd)")
    let n = x.shape[0], d = x.count / n
    let squared = (x - decoded).square().sum() * (1 / (2 * decoderStd * decoderStd * Float(n)))
    let constant = Float(d) / 2 * logf(2 * Float.pi * decoderStd * decoderStd)
    let reconstruction = squared + constant
    let kl = gaussianKL(mean: mean, logVar: logVar)
    return VAELoss(total: reconstruction + kl * beta, reconstruction: reconstruction, kl: kl)
}

/// A variational autoencoder of two MLPs, for flat data (points in the plane, flattened images).
///
/// The encoder maps x to the mean and log-variance of q(z | x) (its last layer has 2·latent
/// outputs); the decoder maps z to the mean of p(x | z), a Gaussian of fixed standard deviation.
/// Sampling draws z from the prior N(0, I) and decodes it: one network evaluation per sample.
public final class MLPVAE: Module {
    /// Size of the latent code.
    public let latent: Int
    /// x → (μ, log σ²).
    public let encoder: MLP
    /// z → mean of x.
    public let decoder: MLP
    /// Whether the decoder's output passes through tanh (for data in [−1, 1], e.g. images).
    public let boundedOutput: Bool

    /// Encoder [data, hidden…, 2·latent] and decoder [latent, hidden…, data], initialised from `rng`
    /// (encoder first).
    public init(data: Int, latent: Int, hidden: [Int], activation: Activation = .silu, boundedOutput: Bool = false, rng: inout RNG) {
        self.latent = latent
        self.boundedOutput = boundedOutput
        encoder = MLP([data] + hidden + [2 * latent], activation: activation, rng: &rng)
        decoder = MLP([latent] + hidden.reversed() + [data], activation: activation, rng: &rng)
        super.init()
    }

    /// "encoder", "decoder".
    public override var children: [(name: String, module: Module)] { [("encoder", encoder), ("decoder", decoder)] }

    /// μ and log σ² of q(z | x) for x [N, data].
    public func encode(_ x: Tensor) -> (mean: Tensor, logVar: Tensor) {
        let h = encoder(x)
        let parts = h.split(axis: 1, sizes: [latent, latent])
        return (parts[0], parts[1])
    }

    /// The decoder's mean for codes z [N, latent].
    public func decode(_ z: Tensor) -> Tensor {
        let y = decoder(z)
        return boundedOutput ? y.tanh() : y
    }

    /// The loss on a batch, with the reparameterisation noise ε [N, latent] given.
    public func loss(_ x: Tensor, noise: Tensor, decoderStd: Float, beta: Float) -> VAELoss {
        let (mean, logVar) = encode(x)
        let z = reparameterize(mean: mean, logVar: logVar, noise: noise)
        return vaeNegativeELBO(x: x, decoded: decode(z), mean: mean, logVar: logVar, decoderStd: decoderStd, beta: beta)
    }

    /// `count` samples: z ~ N(0, I) from `rng`, decoded to the decoder's mean (no observation noise).
    public func sample(_ count: Int, rng: inout RNG) -> Tensor {
        let z = Tensor.randn([count, latent], rng: &rng)
        return Tensor.noGrad { decode(z) }
    }
}
