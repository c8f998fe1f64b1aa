import Datasets
import Diffusion
import Engine

/// Part B: a small U-Net that predicts the noise in images, its training and its samples.

/// Everything that determines an image training run (and so its cache key).
public struct ImageTrainingConfig: Sendable, Equatable {
    /// Channels of the first U-Net level.
    public var baseChannels = 32
    /// Channel multiplier per level (two levels: 16×16 and 8×8).
    public var multipliers = [1, 2]
    /// Optimiser steps.
    public var steps = 600
    /// Images per batch.
    public var batch = 32
    /// Peak learning rate (AdamW, cosine decay after a warm-up).
    public var learningRate: Float = 2e-3

    /// The defaults: the full chapter's run.
    public init() {}

    /// The U-Net for `inChannels` inputs (1 for images, 2 when a low-resolution image rides along).
    public func unetConfig(inChannels: Int) -> UNetConfig {
        UNetConfig(inChannels: inChannels, outChannels: 1, baseChannels: baseChannels, channelMultipliers: multipliers,
                   groups: 8, timeDim: 64)
    }

    /// A key naming this configuration for the model cache.
    public func key(_ task: String, schedule: NoiseSchedule, images: Int, seed: UInt64) -> String {
        "\(task)-\(schedule.kind.rawValue)\(schedule.steps)-c\(baseChannels)-m\(multipliers.map(String.init).joined(separator: "."))"
            + "-s\(steps)-b\(batch)-lr\(learningRate)-n\(images)-seed\(seed)"
    }
}

/// Trains a noise-predicting U-Net on `images`. When `conditioned` is true the model also sees the
/// image's 8×8 version, nearest-upsampled to 16×16, as a second input channel (the upscaler).
/// Returns the loss of every step; all randomness comes from `seed`.
public func trainImageDenoiser(_ model: UNet, images: ImageSet, schedule: NoiseSchedule, config: ImageTrainingConfig,
                               conditioned: Bool, seed: UInt64, progress: ((Int) -> Void)? = nil) throws -> [Float] {
    var rng = RNG(seed: seed ^ 0x1AA6_0002)
    let opt = AdamW(model.parameters, lr: config.learningRate, weightDecay: 0)
    let lr = LRSchedule.warmupCosine(base: config.learningRate, warmup: min(50, config.steps / 10),
                                     total: config.steps, minLR: config.learningRate / 20)
    return try trainingLoop(steps: config.steps, optimizer: opt, schedule: lr, clip: 1, lossName: "denoising loss",
                            afterStep: { step, _ in progress?(step) }) { _ in
        let idx = (0..<config.batch).map { _ in rng.int(images.count) }
        let x0 = images.tensor(indices: idx)
        let condition = conditioned ? lowResolutionCondition(x0) : nil
        return denoisingLoss(x0, schedule: schedule, rng: &rng) { xt, t in
            model(condition.map { Tensor.concat([xt, $0], axis: 1) } ?? xt, t)
        }
    }
}

/// The conditioning channel of the upscaler: the image averaged down to 8×8 and repeated back up
/// to 16×16, so it lines up pixel for pixel with x_t.
public func lowResolutionCondition(_ images: Tensor) -> Tensor {
    upsampleNearest2x(downsample2x(images))
}

/// A fresh U-Net with weights from `seed`.
public func makeUNet(_ config: ImageTrainingConfig, inChannels: Int, seed: UInt64) -> UNet {
    var rng = RNG(seed: seed ^ 0x1AA6_0001)
    return UNet(config.unetConfig(inChannels: inChannels), rng: &rng)
}

/// Draws `count` images [count, 1, H, W] with DDIM (η = 0, `steps` steps), in batches of `batch`,
/// each batch's start noise from `seed`. `condition` (16×16 nearest-upsampled low-resolution
/// images, one per sample) switches to the upscaler's two-channel input.
public func sampleImages(_ model: UNet, schedule: NoiseSchedule, count: Int, height: Int, width: Int, steps: Int,
                         seed: UInt64, batch: Int = 50, condition: Tensor? = nil,
                         onStep: ((Int, Tensor) -> Void)? = nil) -> Tensor {
    var rng = RNG(seed: seed)
    var values: [Float] = []
    values.reserveCapacity(count * height * width)
    let sampler = DDIMSampler(schedule: schedule, steps: steps, eta: 0, clipDenoised: 1)
    var start = 0
    while start < count {
        let n = min(batch, count - start)
        let cond = condition.map { $0.slice(axis: 0, start..<(start + n)).detach() }
        let predictor: NoisePredictor = { xt, t in
            Tensor.noGrad { model(cond.map { Tensor.concat([xt, $0], axis: 1) } ?? xt, t) }
        }
        let out = Tensor.noGrad {
            sampler.sample(shape: [n, 1, height, width], rng: &rng, predictor: predictor,
                           onStep: start == 0 ? onStep : nil)
        }
        values += out.values
        start += n
    }
    return Tensor(shape: [count, 1, height, width], values: values)
}

/// Clamps pixel values to [-1, 1] (samples can overshoot slightly).
public func clampImages(_ x: Tensor) -> Tensor {
    Tensor(shape: x.shape, values: x.values.map { min(max($0, -1), 1) })
}
