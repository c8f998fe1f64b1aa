/// The sizes of one run of the chapter: `quick` for a smoke run, `full` for the committed figures.
public struct LatentSettings: Sendable {
    /// Training images.
    public var trainCount: Int
    /// Held-out images (split in two halves: one the reference for scoring, one the real ceiling).
    public var testCount: Int
    /// Optimiser steps of the chapter's autoencoder and VAE.
    public var autoencoderSteps: Int
    /// Optimiser steps of each VAE in the KL-weight sweep (shorter: the sweep compares, it is not reused).
    public var sweepSteps: Int
    /// Images per autoencoder step.
    public var autoencoderBatch: Int
    /// Autoencoder width (channels of the full-resolution convolutions).
    public var autoencoderWidth: Int
    /// The KL weights compared in section 3; the second is the chapter's VAE.
    public var klWeights: [Float]
    /// Steps of the short pixel-space diffusion run; the latent runs are set against it.
    public var pixelDiffusionSteps: Int
    /// Steps of the long pixel-space diffusion run (trained until it draws shapes).
    public var pixelLongSteps: Int
    /// How many latent-diffusion steps took as long as one pixel-diffusion step when measured once
    /// on this engine (batch 32 on 2 idle cores: 0.14 s against 0.02 s). A constant rather than a run-time
    /// measurement, so the figures do not depend on the machine; each run's Timings section
    /// re-measures both step times so a reader can check it.
    public static let latentStepsPerPixelStep = 7
    /// Images (or latents) per diffusion step.
    public var diffusionBatch: Int
    /// DDIM steps of the deterministic (η = 0) samplers compared in section 5.
    public var samplingSteps: Int
    /// Steps of the stochastic (η = 1) sampler the chapter then uses for every model.
    public var stochasticSteps: Int
    /// Samples drawn from each diffusion model; also the size of each half of the held-out set
    /// used for scoring, so precision and recall compare sets of equal size.
    public var sampleCount: Int
    /// Optimiser steps of the shape classifier that scores samples.
    public var classifierSteps: Int

    /// The quick smoke run (well under a minute).
    public static let quick = LatentSettings(
        trainCount: 800, testCount: 64, autoencoderSteps: 60, sweepSteps: 20, autoencoderBatch: 16, autoencoderWidth: 16,
        klWeights: [0.01, 0.1, 1, 10], pixelDiffusionSteps: 8, pixelLongSteps: 16, diffusionBatch: 16, samplingSteps: 10, stochasticSteps: 20,
        sampleCount: 32, classifierSteps: 30)

    /// The full run behind the committed figures.
    public static let full = LatentSettings(
        trainCount: 4000, testCount: 500, autoencoderSteps: 3000, sweepSteps: 1000, autoencoderBatch: 32, autoencoderWidth: 16,
        klWeights: [0.01, 0.1, 1, 10], pixelDiffusionSteps: 240, pixelLongSteps: 1200, diffusionBatch: 32, samplingSteps: 40, stochasticSteps: 100,
        sampleCount: 250, classifierSteps: 1500)

    /// The KL weight of the chapter's VAE.
    public var mainKLWeight: Float { klWeights[1] }
}
