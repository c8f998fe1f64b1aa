import Engine

/// Nearest-neighbour upsampling as a layer, so the decoder can be one `Sequential`.
public final class Upsample: Module, Layer {
    /// How many times each side grows.
    public let factor: Int
    /// A layer that repeats every pixel into a `factor`×`factor` block.
    public init(factor: Int) {
        self.factor = factor
        super.init()
    }
    /// [N, C, H, W] → [N, C, H·f, W·f].
    public func callAsFunction(_ x: Tensor) -> Tensor { x.upsampleNearest(factor: factor) }
}

/// What the encoder says about a batch: the code itself for a plain autoencoder, the mean and
/// log-variance of a diagonal Gaussian for a VAE.
public struct LatentCode {
    /// The code (plain autoencoder) or the Gaussian's mean (VAE): [N, C, H/4, W/4].
    public let mean: Tensor
    /// log σ² per coordinate for a VAE, nil for a plain autoencoder.
    public let logVar: Tensor?
}

/// The three numbers a VAE (or autoencoder) step optimises and reports.
public struct AutoencoderLoss {
    /// reconstruction + klWeight·KL/D, the scalar to call `backward()` on.
    public let total: Tensor
    /// Mean squared error per pixel value between the input and its reconstruction.
    public let reconstruction: Tensor
    /// KL to N(0, I) in nats per image (zero for a plain autoencoder).
    public let kl: Tensor
}

/// A convolutional autoencoder (or VAE) that maps C×H×W images to a 4×-downsampled spatial latent.
///
/// Encoder: 3×3 conv to `width` channels, two stride-2 3×3 convs (to 2·width, halving each side each
/// time), a 3×3 conv at the latent resolution and a 3×3 conv to the latent channels (twice as many
/// for a VAE: mean and log-variance). Decoder: two 3×3 convs at the latent resolution, then twice
/// nearest-neighbour upsampling followed by a 3×3 conv, the last one straight to the image channels
/// with no activation (pixels are regressed in [-1, 1]). SiLU between convolutions; no normalisation.
/// The full-resolution layers dominate the cost on a CPU, so the decoder has only one of them.
public final class Autoencoder: Module {
    /// The configuration it was built with.
    public let config: AutoencoderConfig
    /// Image → latent statistics.
    public let encoder: Sequential
    /// Latent → image.
    public let decoder: Sequential

    /// Builds the network with PyTorch-style uniform initialisation drawn from `rng`.
    public init(_ config: AutoencoderConfig, rng: inout RNG) {
        self.config = config
        let c = config.imageChannels, w = config.width, w2 = 2 * config.width, z = config.latentChannels
        encoder = Sequential([
            Conv2d(c, w, kernel: 3, padding: 1, rng: &rng), ActivationLayer(.silu),
            Conv2d(w, w2, kernel: 3, stride: 2, padding: 1, rng: &rng), ActivationLayer(.silu),
            Conv2d(w2, w2, kernel: 3, stride: 2, padding: 1, rng: &rng), ActivationLayer(.silu),
            Conv2d(w2, w2, kernel: 3, padding: 1, rng: &rng), ActivationLayer(.silu),
            Conv2d(w2, config.variational ? 2 * z : z, kernel: 3, padding: 1, rng: &rng),
        ])
        decoder = Sequential([
            Conv2d(z, w2, kernel: 3, padding: 1, rng: &rng), ActivationLayer(.silu),
            Conv2d(w2, w2, kernel: 3, padding: 1, rng: &rng), ActivationLayer(.silu),
            Upsample(factor: 2), Conv2d(w2, w, kernel: 3, padding: 1, rng: &rng), ActivationLayer(.silu),
            Upsample(factor: 2), Conv2d(w, c, kernel: 3, padding: 1, rng: &rng),
        ])
        super.init()
    }

    /// Builds the network from a seed.
    public convenience init(_ config: AutoencoderConfig, seed: UInt64) {
        var rng = RNG(seed: seed)
        self.init(config, rng: &rng)
    }

    /// "encoder", "decoder".
    public override var children: [(name: String, module: Module)] {
        [("encoder", encoder), ("decoder", decoder)]
    }

    /// Encodes images [N, C, H, W] (sides divisible by 4) into the latent code or its Gaussian.
    public func encode(_ x: Tensor) -> LatentCode {
        precondition(x.rank == 4 && x.shape[1] == config.imageChannels,
                     "Autoencoder.encode: expected [N, \(config.imageChannels), H, W], got \(x.shape)")
        _ = config.latentShape(height: x.shape[2], width: x.shape[3])  // checks divisibility
        let h = encoder(x)
        guard config.variational else { return LatentCode(mean: h, logVar: nil) }
        let parts = h.split(axis: 1, sizes: [config.latentChannels, config.latentChannels])
        return LatentCode(mean: parts[0], logVar: parts[1])
    }

    /// Decodes latents [N, latentChannels, h, w] into images [N, C, 4h, 4w].
    public func decode(_ z: Tensor) -> Tensor {
        precondition(z.rank == 4 && z.shape[1] == config.latentChannels,
                     "Autoencoder.decode: expected [N, \(config.latentChannels), h, w], got \(z.shape)")
        return decoder(z)
    }

    /// A latent for each image: the code (autoencoder), or a reparameterised draw from the encoder's
    /// Gaussian (VAE) using `rng`.
    public func sampleLatent(_ code: LatentCode, rng: inout RNG) -> Tensor {
        guard let logVar = code.logVar else { return code.mean }
        return reparameterize(mean: code.mean, logVar: logVar, noise: Tensor.randn(code.mean.shape, rng: &rng))
    }

    /// Encode, (sample,) decode; compare. Reconstruction is the mean squared error per pixel value;
    /// the total adds `klWeight`·KL/D with D the pixel values per image, so `klWeight` = β weighs
    /// nats per image against squared error per image. For a Gaussian decoder with variance s², the
    /// ELBO corresponds to β = 2s². `klWeight` is ignored for a plain autoencoder.
    public func loss(_ x: Tensor, klWeight: Float, rng: inout RNG) -> AutoencoderLoss {
        let code = encode(x)
        let z = sampleLatent(code, rng: &rng)
        let reconstruction = mseLoss(decode(z), x)
        guard let logVar = code.logVar else {
            return AutoencoderLoss(total: reconstruction, reconstruction: reconstruction, kl: Tensor(scalar: 0))
        }
        let kl = gaussianKL(mean: code.mean, logVar: logVar)
        let perPixel = Float(x.count / x.shape[0])
        return AutoencoderLoss(total: reconstruction + kl * (klWeight / perPixel), reconstruction: reconstruction, kl: kl)
    }

    /// Reconstructs images without recording a graph, decoding the mean (the VAE's most likely code).
    public func reconstruct(_ x: Tensor) -> Tensor {
        Tensor.noGrad { decode(encode(x).mean) }
    }

    /// Multiply-accumulates of one forward pass of encoder and decoder for one image of the given
    /// size, counted layer by layer (the convolutions dominate; activations and upsampling are free).
    public func forwardMACs(height: Int, width: Int) -> Int {
        var h = height, w = width, total = 0
        for layer in encoder.layers + decoder.layers {
            if let conv = layer as? Conv2d {
                let k = conv.weight.shape[2]
                h = (h + 2 * conv.padding - k) / conv.stride + 1
                w = (w + 2 * conv.padding - k) / conv.stride + 1
                total += conv.weight.count * h * w
            } else if let up = layer as? Upsample {
                h *= up.factor; w *= up.factor
            }
        }
        return total
    }

    /// Floats of every intermediate tensor one forward pass of encoder and decoder produces for one
    /// image (each layer's output), the activations a training step keeps for backward.
    public func activationFloats(height: Int, width: Int) -> Int {
        var c = config.imageChannels, h = height, w = width, total = 0
        for layer in encoder.layers + decoder.layers {
            if let conv = layer as? Conv2d {
                let k = conv.weight.shape[2]
                c = conv.weight.shape[0]
                h = (h + 2 * conv.padding - k) / conv.stride + 1
                w = (w + 2 * conv.padding - k) / conv.stride + 1
            } else if let up = layer as? Upsample {
                h *= up.factor; w *= up.factor
            }
            total += c * h * w
        }
        return total
    }
}
