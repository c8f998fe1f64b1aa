/// The sizes of one run of the chapter: `quick` for a smoke run, `full` for the committed figures.
public struct LatentSettings: Sendable {
    /// Training images.
    public var trainCount: Int
    /// Held-out images.
    public var testCount: Int
    /// Optimiser steps for each autoencoder and VAE.
    public var autoencoderSteps: Int
    /// Images per autoencoder step.
    public var autoencoderBatch: Int
    /// Autoencoder width (channels of the full-resolution convolutions).
    public var autoencoderWidth: Int
    /// The KL weights compared in section 3; the second is the chapter's VAE.
    public var klWeights: [Float]
    /// Steps of the pixel-space diffusion model; the latent model gets `latentStepRatio` times as
    /// many (section 5).
    public var pixelDiffusionSteps: Int
    /// How many latent-diffusion steps take as long as one pixel-diffusion step. Fixed from a
    /// one-off measurement on this engine (batch 32 on 2 cores: 1.88 s per pixel step, 0.12 s per
    /// latent step), not measured at run time, so the figures do not depend on the machine. It
    /// happens to match the counted FLOP ratio of the two U-Nets (15.8) closely.
    public static let latentStepRatio = 16
    /// Images (or latents) per diffusion step.
    public var diffusionBatch: Int
    /// DDIM steps when sampling.
    public var samplingSteps: Int
    /// Samples drawn from each diffusion model.
    public var sampleCount: Int
    /// Optimiser steps of the shape classifier that scores samples.
    public var classifierSteps: Int

    /// The quick smoke run (well under a minute).
    public static let quick = LatentSettings(
        trainCount: 800, testCount: 200, autoencoderSteps: 40, autoencoderBatch: 16, autoencoderWidth: 16,
        klWeights: [0.01, 0.1, 1, 10], pixelDiffusionSteps: 8, diffusionBatch: 16, samplingSteps: 10,
        sampleCount: 16, classifierSteps: 30)

    /// The full run behind the committed figures.
    public static let full = LatentSettings(
        trainCount: 4000, testCount: 500, autoencoderSteps: 500, autoencoderBatch: 32, autoencoderWidth: 16,
        klWeights: [0.01, 0.1, 1, 10], pixelDiffusionSteps: 240, diffusionBatch: 32, samplingSteps: 40,
        sampleCount: 64, classifierSteps: 400)

    /// The KL weight of the chapter's VAE.
    public var mainKLWeight: Float { klWeights[1] }
}
