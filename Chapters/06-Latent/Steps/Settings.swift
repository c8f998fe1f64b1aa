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
    /// Autoencoder width (channels of the full-resolution convolutions) of the autoencoder, the
    /// β sweep and the chapter VAE of sections 3–4 (the one chapter 08 builds on).
    public var autoencoderWidth: Int
    /// Width of the wider VAE whose latents the diffusion models of section 5 use: its decoder's
    /// reconstructions are crisper, and the decoder caps what any latent sample can look like.
    public var latentVAEWidth: Int
    /// Base channels of the latent-diffusion U-Net (the pixel U-Net keeps 16).
    public var latentUNetWidth: Int
    /// The KL weights compared in section 3; the second is the chapter's VAE.
    public var klWeights: [Float]
    /// Steps of the short pixel-space diffusion run; the latent runs are set against it.
    public var pixelDiffusionSteps: Int
    /// Steps of the long pixel-space diffusion run (trained until it draws shapes).
    public var pixelLongSteps: Int
    /// How many latent-diffusion steps took as long as one pixel-diffusion step when measured once
    /// on this engine (batch 32, two threads, median of 5: 0.174–0.184 s for the pixel U-Net against
    /// 0.061–0.071 s for the width-32 latent U-Net, a ratio of 2.6–2.9). A constant rather than a
    /// run-time measurement, so the figures do not depend on the machine; each run's Timings
    /// section re-measures both step times so a reader can check it.
    public static let latentStepsPerPixelStep = 3
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
        latentVAEWidth: 16, latentUNetWidth: 16,
        klWeights: [0.01, 0.1, 1, 10], pixelDiffusionSteps: 8, pixelLongSteps: 16, diffusionBatch: 16, samplingSteps: 10, stochasticSteps: 20,
        sampleCount: 32, classifierSteps: 30)

    /// The full run behind the committed figures.
    public static let full = LatentSettings(
        trainCount: 4000, testCount: 500, autoencoderSteps: 3000, sweepSteps: 1000, autoencoderBatch: 32, autoencoderWidth: 16,
        latentVAEWidth: 32, latentUNetWidth: 32,
        klWeights: [0.01, 0.1, 1, 10], pixelDiffusionSteps: 240, pixelLongSteps: 1200, diffusionBatch: 32, samplingSteps: 40, stochasticSteps: 100,
        sampleCount: 250, classifierSteps: 1500)

    /// The KL weight of the chapter's VAE.
    public var mainKLWeight: Float { klWeights[1] }
}
