import Ch05Diffusion
import Datasets
import Diffusion
import Engine
import Foundation
import Models

/// Part B: a GAN and a VAE on the 16×16 glyph digits, against chapter 05's image diffusion model.
/// Both are MLPs over the 256 pixels (no convolutions), trained with the same FLOP budget.
public struct GlyphSetup: Sendable, Equatable {
    /// Hidden width of every MLP.
    public var width = 128
    /// Latent size of the generator's input.
    public var ganLatent = 32
    /// Latent size of the VAE.
    public var vaeLatent = 16
    /// Fixed standard deviation of the VAE's decoder, in pixel units of [−1, 1].
    public var vaeDecoderStd: Float = 0.2
    /// Images per batch.
    public var batch = 64
    /// Optimiser steps of the GAN; the VAE gets the steps that spend the same FLOPs.
    public var ganSteps = 2000
    /// Peak learning rate.
    public var learningRate: Float = 1e-3

    /// The defaults: the full chapter.
    public init() {}

    /// Generator layers (tanh after the last, so pixels land in [−1, 1]).
    public var generatorSizes: [Int] { [ganLatent, width, width, 256] }
    /// Discriminator layers.
    public var discriminatorSizes: [Int] { [256, width, width, 1] }
    /// Encoder layers (μ and log σ² of the code).
    public var encoderSizes: [Int] { [256, width, width, 2 * vaeLatent] }
    /// Decoder layers (tanh after the last).
    public var decoderSizes: [Int] { [vaeLatent, width, width, 256] }

    /// FLOPs of one training step of a GAN (either variant) or the VAE.
    public func stepFLOPs(_ family: Family) -> Double {
        switch family {
        case .gan, .ganSN:
            return MLPCost.forwardFLOPs(generatorSizes, rows: batch) + MLPCost.trainingFLOPs(discriminatorSizes, rows: 2 * batch)
                + MLPCost.trainingFLOPs(generatorSizes, rows: batch) + MLPCost.trainingFLOPs(discriminatorSizes, rows: batch)
        case .vae:
            return MLPCost.trainingFLOPs(encoderSizes, rows: batch) + MLPCost.trainingFLOPs(decoderSizes, rows: batch)
        case .diffusion:
            preconditionFailure("GlyphSetup: the glyph diffusion model is a U-Net; count it with UNetCost")
        }
    }

    /// The budget: the GAN's steps at the GAN's cost.
    public var budgetFLOPs: Double { Double(ganSteps) * stepFLOPs(.gan) }

    /// Steps of `family` within the budget.
    public func steps(_ family: Family) -> Int { max(1, Int((budgetFLOPs / stepFLOPs(family)).rounded())) }

    /// Parameters of the sampling network (generator or decoder).
    public func samplerParameters(_ family: Family) -> Int {
        family == .vae ? MLPCost.parameters(decoderSizes) : MLPCost.parameters(generatorSizes)
    }

    /// Cache-key text of this setup.
    public var key: String {
        "w\(width)-zg\(ganLatent)-zv\(vaeLatent)-sd\(vaeDecoderStd)-b\(batch)-s\(ganSteps)-lr\(learningRate)"
    }
}

/// A GAN generator for images: an MLP with tanh on its output, reshaped to [N, 1, 16, 16].
public final class ImageGenerator: Module {
    /// The MLP.
    public let net: MLP
    /// Size of z.
    public let latent: Int

    /// Layers `sizes` (the last must be 256), initialised from `rng`.
    public init(sizes: [Int], rng: inout RNG) {
        net = MLP(sizes, activation: .silu, rng: &rng)
        latent = sizes[0]
        super.init()
    }

    /// "net".
    public override var children: [(name: String, module: Module)] { [("net", net)] }

    /// z [N, latent] → flat images [N, 256].
    public func callAsFunction(_ z: Tensor) -> Tensor { net(z).tanh() }

    /// `count` images [count, 1, 16, 16] from z drawn with `rng`.
    public func sample(_ count: Int, rng: inout RNG) -> Tensor {
        let z = Tensor.randn([count, latent], rng: &rng)
        return Tensor.noGrad { self(z) }.reshape([count, 1, 16, 16])
    }
}

/// What a glyph run produced.
public struct GlyphRunResult {
    /// The main loss per step (−ELBO per image or the discriminator's loss).
    public var losses: [Float]
    /// The generator's loss per step (GANs only).
    public var generatorLosses: [Float]
    /// Whether training stopped on a non-finite loss.
    public var diverged: Bool
    /// Whether it came from the cache.
    public var cached: Bool
    /// Draws `count` images [count, 1, 16, 16] with start noise from `seed`.
    public var sample: (Int, UInt64) -> Tensor
}

/// Trains (or restores) a GAN, GAN + spectral norm or VAE on the flattened glyph images.
public func glyphRun(_ family: Family, images: ImageSet, setup: GlyphSetup, beta: Float, seed: UInt64, cache: TrainingCache) -> GlyphRunResult {
    precondition(family != .diffusion, "glyphRun: the glyph diffusion model is chapter 05's U-Net")
    var initRNG = RNG(seed: seed ^ 0x61F0_0001)
    let batch: (inout RNG) -> Tensor = { rng in
        images.tensor(indices: (0..<setup.batch).map { _ in rng.int(images.count) }).reshape([setup.batch, 256])
    }
    let key = "glyph-\(family.rawValue)" + (family == .vae ? "-beta\(beta)" : "") + "-seed\(seed)-n\(images.count)-\(setup.key)"
    let steps = setup.steps(family)
    switch family {
    case .vae:
        let vae = MLPVAE(data: 256, latent: setup.vaeLatent, hidden: [setup.width, setup.width], boundedOutput: true, rng: &initRNG)
        let sample: (Int, UInt64) -> Tensor = { n, s in var r = RNG(seed: s); return vae.sample(n, rng: &r).reshape([n, 1, 16, 16]) }
        if let series = cache.restore(vae, key: key), let losses = series["loss"] {
            return GlyphRunResult(losses: losses, generatorLosses: [], diverged: series["diverged"]?.first == 1, cached: true, sample: sample)
        }
        let (losses, diverged) = trainVAE(vae, batch: batch, batchSize: setup.batch, steps: steps, learningRate: setup.learningRate, beta: beta,
                                          decoderStd: setup.vaeDecoderStd, rng: RNG(seed: seed ^ 0x61F0_0002))
        cache.store(vae, key: key, series: ["loss": losses, "diverged": [diverged ? 1 : 0]])
        return GlyphRunResult(losses: losses, generatorLosses: [], diverged: diverged, cached: false, sample: sample)
    case .gan, .ganSN:
        let g = ImageGenerator(sizes: setup.generatorSizes, rng: &initRNG)
        let d: Module = family == .ganSN ? SpectralMLP(setup.discriminatorSizes, activation: .silu, rng: &initRNG)
                                         : MLP(setup.discriminatorSizes, activation: .silu, rng: &initRNG)
        let holder = RunModules([("generator", g), ("discriminator", d)])
        let sample: (Int, UInt64) -> Tensor = { n, s in var r = RNG(seed: s); return g.sample(n, rng: &r) }
        if let series = cache.restore(holder, key: key), let losses = series["loss"] {
            return GlyphRunResult(losses: losses, generatorLosses: series["generator_loss"] ?? [], diverged: series["diverged"]?.first == 1,
                                  cached: true, sample: sample)
        }
        let out = trainGAN(generatorParameters: g.parameters, generate: { g($0) }, discriminator: d, latent: setup.ganLatent,
                           batchSize: setup.batch, realBatch: batch, steps: steps, learningRate: setup.learningRate,
                           rng: RNG(seed: seed ^ 0x61F0_0003))
        cache.store(holder, key: key, series: ["loss": out.discriminatorLosses, "generator_loss": out.generatorLosses,
                                               "diverged": [out.diverged ? 1 : 0]])
        return GlyphRunResult(losses: out.discriminatorLosses, generatorLosses: out.generatorLosses, diverged: out.diverged,
                              cached: false, sample: sample)
    case .diffusion:
        preconditionFailure()
    }
}

/// How a set of images looks to chapter 05's classifier, against real images.
public struct GlyphScore: Sendable {
    /// Fréchet distance of the classifier features to those of the training images.
    public var frechet: Double
    /// Precision and recall (k = 3) against held-out real features.
    public var precisionRecall: PrecisionRecall
    /// Classes the classifier assigns at least one image to.
    public var classesPresent: Int
    /// Total-variation distance of the predicted-class histogram from uniform.
    public var classTV: Double
}

/// Scores `images` with `classifier`: FD against `trainFeatures`, precision/recall against `realFeatures`.
public func glyphScore(_ images: Tensor, classifier: ImageClassifier, trainFeatures: [Float], realFeatures: [Float]) -> GlyphScore {
    let view = classify(classifier, images)
    let d = classifier.featureDimension
    let r = rate(view.probabilities)
    return GlyphScore(frechet: featureFrechetDistance(view.features, trainFeatures, dimension: d),
                      precisionRecall: PrecisionRecall(real: realFeatures, generated: view.features, dimension: d, k: 3),
                      classesPresent: r.classCounts.filter { $0 > 0 }.count, classTV: totalVariationFromUniform(r.classCounts))
}

/// A module holding one constant, so sampled images can be cached with `TrainingCache` (which
/// stores a model and series of numbers) under a key of their own.
final class Placeholder: Module {
    let value = Tensor([0])
    override var localParameters: [(name: String, tensor: Tensor)] { [("value", value)] }
}

/// Images [count, 1, 16, 16] from `make`, cached under `key` (they are a deterministic function of it).
public func cachedImages(key: String, count: Int, cache: TrainingCache, make: () -> Tensor) -> Tensor {
    let holder = Placeholder()
    if let series = cache.restore(holder, key: key), let v = series["images"], v.count == count * 256 {
        return Tensor(shape: [count, 1, 16, 16], values: v)
    }
    let x = make()
    cache.store(holder, key: key, series: ["images": x.values])
    return x
}
