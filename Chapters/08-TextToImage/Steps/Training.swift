import Ch06Latent
import Datasets
import Diffusion
import Engine
import Models

/// How the text-conditioned U-Net is trained; `key` names all of it for the cache.
public struct TextToImageRecipe: Sendable {
    /// The network.
    public var config: TextUNetConfig
    /// Optimiser steps.
    public var steps: Int
    /// Latents per step.
    public var batch: Int
    /// Adam's peak learning rate (short warm-up, cosine decay to a tenth).
    public var learningRate: Float
    /// Share of captions replaced by the empty caption.
    public var dropout: Double
    /// Seed of the weights, batches, captions, timesteps and noise.
    public var seed: UInt64

    /// A recipe.
    public init(config: TextUNetConfig, steps: Int, batch: Int, learningRate: Float = 2e-3, dropout: Double, seed: UInt64) {
        precondition((0...1).contains(dropout), "TextToImageRecipe: dropout must lie in 0...1, got \(dropout)")
        self.config = config; self.steps = steps; self.batch = batch
        self.learningRate = learningRate; self.dropout = dropout; self.seed = seed
    }

    /// Everything that changes the result (the data is named by the caller).
    public var key: String { "\(config)-s\(steps)-b\(batch)-lr\(learningRate)-drop\(dropout)-seed\(seed)" }
}

/// The caption each picked training scene is shown with: one of its true captions at random, or,
/// with probability `dropout`, the empty caption. Drawn from `rng` in order (one uniform for the
/// dropout, then one index), so a seed fixes the whole sequence.
public func trainingCaptions(_ indices: [Int], captions: [[String]], dropout: Double, rng: inout RNG) -> [String] {
    indices.map { i in
        let drop = Double(rng.uniform()) < dropout
        let pick = captions[i][rng.int(captions[i].count)]
        return drop ? "" : pick
    }
}

/// A trained text-to-image noise predictor with its loss per step.
public struct TrainedTextToImage {
    /// The recipe.
    public let recipe: TextToImageRecipe
    /// The network.
    public let unet: TextConditionedUNet
    /// Denoising loss (MSE between predicted and true noise) per step.
    public let losses: [Float]
}

/// Trains the U-Net on `latents` [N, 4, 8, 8] whose scenes have `captions` (every true caption of
/// each), with the frozen `encoder`, or restores the identical run from `cache`. Throws
/// `NonFiniteError` naming the step if the loss diverges.
public func trainTextToImage(_ recipe: TextToImageRecipe, latents: Tensor, captions: [[String]], encoder: CaptionEncoder,
                             dataKey: String, cache: TrainingCache, progress: (Int) -> Void = { _ in }) throws -> TrainedTextToImage {
    precondition(latents.shape[0] == captions.count, "trainTextToImage: \(latents.shape[0]) latents, \(captions.count) caption lists")
    var rng = RNG(seed: recipe.seed)
    let unet = TextConditionedUNet(recipe.config, rng: &rng)
    let key = recipe.key + "-" + dataKey
    if let series = cache.restore(unet, key: key), let losses = series["loss"], losses.count == recipe.steps {
        return TrainedTextToImage(recipe: recipe, unet: unet, losses: losses)
    }
    let optimizer = Adam(unet.parameters, lr: recipe.learningRate)
    let schedule = LRSchedule.warmupCosine(base: recipe.learningRate, warmup: max(1, recipe.steps / 20),
                                           total: recipe.steps, minLR: recipe.learningRate / 10)
    let losses = try trainingLoop(steps: recipe.steps, optimizer: optimizer, schedule: schedule, clip: 1,
                                  lossName: "text-to-image denoising loss", afterStep: { step, _ in progress(step) }) { _ in
        let idx = batchIndices(latents.shape[0], batch: recipe.batch, rng: &rng)
        let text = encoder.encodeKnown(trainingCaptions(idx, captions: captions, dropout: recipe.dropout, rng: &rng))
        return denoisingLoss(rows(latents, idx), schedule: chapterSchedule, rng: &rng) { unet($0, $1, text) }
    }
    cache.store(unet, key: key, series: ["loss": losses])
    return TrainedTextToImage(recipe: recipe, unet: unet, losses: losses)
}
