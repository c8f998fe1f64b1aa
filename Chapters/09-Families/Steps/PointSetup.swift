import Ch05Diffusion
import Diffusion
import Models

/// The shared budget of the 2-D comparison: one MLP width and depth for every network, one batch
/// size, one training-compute budget in FLOPs, and the evaluation protocol.
public struct PointSetup: Sendable, Equatable {
    /// Hidden width of every MLP.
    public var width = 64
    /// Hidden layers of every MLP.
    public var depth = 3
    /// Points per batch, for every family.
    public var batch = 256
    /// Diffusion's optimiser steps; the other families get as many steps as fit in the same FLOPs.
    public var diffusionSteps = 4000
    /// Size of the sinusoidal time embedding of the noise predictor.
    public var timeDim = 32
    /// Latent size of the GAN's generator input.
    public var ganLatent = 8
    /// Latent size of the VAE (2: the data's own dimension).
    public var vaeLatent = 2
    /// Fixed standard deviation of the VAE's Gaussian decoder (the data's own mode spread).
    public var vaeDecoderStd: Float = 0.05
    /// Size of the fixed training set drawn from each distribution.
    public var trainingPoints = 20_000
    /// Evaluations of modes covered during training (evenly spaced, the last at the end).
    public var checkpoints = 12
    /// Samples drawn at each checkpoint.
    public var checkpointSamples = 500
    /// DDIM steps the diffusion model samples with at checkpoints (cheap; the final score uses `finalSampler`).
    public var checkpointDDIMSteps = 25
    /// Samples scored at the end of a run (chapter 05's count).
    public var finalSamples = 2500
    /// How the diffusion model draws its final samples.
    public var finalSampler: PointSampler = .ddpm

    /// The defaults: the full chapter.
    public init() {}

    /// Hidden layers as a size list.
    public var hidden: [Int] { Array(repeating: width, count: depth) }
    /// Layer sizes of the noise predictor.
    public var denoiserSizes: [Int] { [2 + timeDim] + hidden + [2] }
    /// Layer sizes of the GAN's generator.
    public var generatorSizes: [Int] { [ganLatent] + hidden + [2] }
    /// Layer sizes of the GAN's discriminator.
    public var discriminatorSizes: [Int] { [2] + hidden + [1] }
    /// Layer sizes of the VAE's encoder (μ and log σ² of the code).
    public var encoderSizes: [Int] { [2] + hidden + [2 * vaeLatent] }
    /// Layer sizes of the VAE's decoder.
    public var decoderSizes: [Int] { [vaeLatent] + hidden + [2] }

    /// FLOPs of one training step of `family`.
    public func stepFLOPs(_ family: Family) -> Double {
        switch family {
        case .diffusion:
            return MLPCost.trainingFLOPs(denoiserSizes, rows: batch)
        case .vae:
            return MLPCost.trainingFLOPs(encoderSizes, rows: batch) + MLPCost.trainingFLOPs(decoderSizes, rows: batch)
        case .gan, .ganSN:
            // Discriminator step: generate a batch (forward), judge real and fake (2 batches).
            // Generator step: generate with gradients, judge, back-propagate through both.
            return MLPCost.forwardFLOPs(generatorSizes, rows: batch) + MLPCost.trainingFLOPs(discriminatorSizes, rows: 2 * batch)
                + MLPCost.trainingFLOPs(generatorSizes, rows: batch) + MLPCost.trainingFLOPs(discriminatorSizes, rows: batch)
        }
    }

    /// The training budget in FLOPs: diffusion's steps at diffusion's cost per step.
    public var budgetFLOPs: Double { Double(diffusionSteps) * stepFLOPs(.diffusion) }

    /// Optimiser steps of `family` that spend the budget (rounded to the nearest step).
    public func steps(_ family: Family) -> Int {
        max(1, Int((budgetFLOPs / stepFLOPs(family)).rounded()))
    }

    /// Parameters of the network that draws samples (generator, decoder, noise predictor).
    public func samplerParameters(_ family: Family) -> Int {
        switch family {
        case .diffusion: return MLPCost.parameters(denoiserSizes)
        case .vae: return MLPCost.parameters(decoderSizes)
        case .gan, .ganSN: return MLPCost.parameters(generatorSizes)
        }
    }

    /// Parameters trained in all (adding the discriminator or the encoder).
    public func trainedParameters(_ family: Family) -> Int {
        switch family {
        case .diffusion: return MLPCost.parameters(denoiserSizes)
        case .vae: return MLPCost.parameters(encoderSizes) + MLPCost.parameters(decoderSizes)
        case .gan, .ganSN: return MLPCost.parameters(generatorSizes) + MLPCost.parameters(discriminatorSizes)
        }
    }

    /// Network evaluations to draw one sample at the end.
    public func evaluationsPerSample(_ family: Family, schedule: NoiseSchedule) -> Int {
        family == .diffusion ? finalSampler.evaluations(schedule) : 1
    }

    /// A string naming everything that determines a run of this setup (for cache keys).
    public var key: String {
        "w\(width)-d\(depth)-b\(batch)-s\(diffusionSteps)-te\(timeDim)-zg\(ganLatent)-zv\(vaeLatent)-sd\(vaeDecoderStd)"
            + "-n\(trainingPoints)-c\(checkpoints)x\(checkpointSamples)-ddim\(checkpointDDIMSteps)-f\(finalSamples)-\(finalSampler.label.replacingOccurrences(of: " ", with: ""))"
    }
}
