import Datasets
import Diffusion
import Engine
import Models

/// How one diffusion model is trained: the same recipe serves pixels and latents.
public struct DiffusionTraining: Sendable {
    /// The noise predictor.
    public var unet: UNetConfig
    /// Optimiser steps.
    public var steps: Int
    /// Examples per step.
    public var batch: Int
    /// Adam's learning rate (short warm-up, cosine decay to a tenth).
    public var learningRate: Float
    /// Seed for the weights, the minibatches, the timesteps and the noise.
    public var seed: UInt64

    /// A training recipe.
    public init(unet: UNetConfig, steps: Int, batch: Int, learningRate: Float = 2e-3, seed: UInt64) {
        self.unet = unet
        self.steps = steps
        self.batch = batch
        self.learningRate = learningRate
        self.seed = seed
    }

    /// A cache key naming everything that changes the result (the data is named by the caller).
    public var key: String {
        let u = unet
        return "unet-i\(u.inChannels)-b\(u.baseChannels)-m\(u.channelMultipliers.map(String.init).joined(separator: "."))"
            + "-g\(u.groups)-t\(u.timeDim)-s\(steps)-b\(batch)-lr\(learningRate)-seed\(seed)"
    }
}

/// The noise schedule both diffusion models use: cosine, 1,000 steps (chapter 05's choice).
public let chapterSchedule = NoiseSchedule.cosine(steps: 1000)

/// Rows `indices` of a [N, …] tensor, copied into a new [n, …] tensor.
public func rows(_ x: Tensor, _ indices: [Int]) -> Tensor {
    let row = x.count / x.shape[0]
    let out = Tensor.zeros([indices.count] + Array(x.shape.dropFirst()))
    for (k, i) in indices.enumerated() { (out.storage.pointer + k * row).update(from: x.data + i * row, count: row) }
    return out
}

/// A trained noise predictor with its loss per step.
public struct TrainedDiffusion {
    /// The recipe.
    public let recipe: DiffusionTraining
    /// The network.
    public let unet: UNet
    /// The denoising loss (MSE between predicted and true noise) at every step.
    public let losses: [Float]
}

/// Trains a U-Net with the simplified DDPM objective on `data` [N, C, H, W], or restores the
/// identical run from `cache` (keyed by the recipe and `dataKey`).
public func trainDiffusion(_ recipe: DiffusionTraining, data: Tensor, dataKey: String,
                           cache: TrainingCache = TrainingCache(folder: nil, fresh: false),
                           progress: (Int) -> Void = { _ in }) throws -> TrainedDiffusion {
    var rng = RNG(seed: recipe.seed)
    let unet = UNet(recipe.unet, rng: &rng)
    let key = recipe.key + "-" + dataKey
    if let series = cache.restore(unet, key: key), let losses = series["loss"], losses.count == recipe.steps {
        return TrainedDiffusion(recipe: recipe, unet: unet, losses: losses)
    }
    let optimizer = Adam(unet.parameters, lr: recipe.learningRate)
    let schedule = LRSchedule.warmupCosine(base: recipe.learningRate, warmup: max(1, recipe.steps / 20),
                                           total: recipe.steps, minLR: recipe.learningRate / 10)
    let losses = try trainingLoop(steps: recipe.steps, optimizer: optimizer, schedule: schedule, lossName: "denoising loss",
                                  afterStep: { step, _ in progress(step) }) { _ in
        let x0 = rows(data, batchIndices(data.shape[0], batch: recipe.batch, rng: &rng))
        return denoisingLoss(x0, schedule: chapterSchedule, rng: &rng) { unet($0, $1) }
    }
    cache.store(unet, key: key, series: ["loss": losses])
    return TrainedDiffusion(recipe: recipe, unet: unet, losses: losses)
}

/// How a sampler limits its estimate x̂_0 of the clean data at every step.
public enum DenoisedClamp: Sendable {
    /// No limit.
    case none
    /// Every value to ±limit (for pixels: ±1).
    case symmetric(Float)
    /// Each channel to its own range (for latents: the range of that channel over the training set).
    case perChannel([ClosedRange<Float>])
}

/// Draws `count` samples of shape [C, H, W] with DDIM in `steps` jumps, limiting x̂_0 as `clamp`
/// says; `eta` = 0 is deterministic after the first draw, 1 adds DDPM's fresh noise at every jump.
public func sampleDiffusion(_ unet: UNet, count: Int, shape: [Int], steps: Int, eta: Double, clamp: DenoisedClamp, rng: inout RNG) -> Tensor {
    var clip: Float? = nil, ranges: [ClosedRange<Float>]? = nil
    switch clamp {
    case .none: break
    case let .symmetric(c): clip = c
    case let .perChannel(r): ranges = r
    }
    let sampler = DDIMSampler(schedule: chapterSchedule, steps: steps, eta: eta, clipDenoised: clip, channelRanges: ranges)
    return sampler.sample(shape: [count] + shape, rng: &rng) { x, t in unet(x, t) }
}

/// The VAE's latents of a whole image set, divided by one scale so they have unit variance.
public struct LatentDataset {
    /// Scaled latents [N, C, h, w] (the encoder's means divided by `scale`).
    public let latents: Tensor
    /// The standard deviation of the raw latents, pooled over every coordinate.
    public let scale: Float
    /// The mean of the raw latents (reported; the latents are not shifted).
    public let mean: Float
    /// The largest |value| among the scaled latents, over every channel.
    public let limit: Float
    /// The smallest and largest scaled value of each latent channel: the per-channel counterpart
    /// of clamping pixels to ±1, much tighter than ±limit for channels that span less.
    public let channelRanges: [ClosedRange<Float>]

    /// Encodes `images` with `model` and scales the codes to unit variance.
    public init(model: Autoencoder, images: ImageSet) {
        let codes = encodeAll(model, images)
        let stats = codeStatistics(codes)
        scale = Float(stats.std)
        mean = Float(stats.mean)
        latents = Tensor.noGrad { codes * (1 / Float(stats.std)) }
        limit = latents.values.reduce(0) { max($0, abs($1)) }
        channelRanges = channelExtremes(latents)
    }

    /// Undoes the scaling and decodes to images in [-1, 1].
    public func decode(_ z: Tensor, with model: Autoencoder) -> Tensor {
        decodeImages(model, Tensor.noGrad { z * scale })
    }
}

/// The number of latent-diffusion steps that costs the same training FLOPs as `pixelSteps` steps
/// of the pixel model (same batch), rounded to the nearest step.
public func equalComputeSteps(pixelSteps: Int, pixel: UNetConfig, latent: UNetConfig, imageSide: Int, latentSide: Int) -> Int {
    let p = Double(UNetCost.forwardMACs(pixel, height: imageSide, width: imageSide))
    let l = Double(UNetCost.forwardMACs(latent, height: latentSide, width: latentSide))
    return Int((Double(pixelSteps) * p / l).rounded())
}

/// The smallest and largest value of each channel (axis 1) of an [N, C, …] tensor.
public func channelExtremes(_ x: Tensor) -> [ClosedRange<Float>] {
    let c = x.shape[1], plane = x.shape.dropFirst(2).reduce(1, *)
    var lo = [Float](repeating: .infinity, count: c), hi = [Float](repeating: -.infinity, count: c)
    for (i, v) in x.values.enumerated() {
        let ch = (i / plane) % c
        lo[ch] = min(lo[ch], v)
        hi[ch] = max(hi[ch], v)
    }
    return zip(lo, hi).map { $0...$1 }
}
