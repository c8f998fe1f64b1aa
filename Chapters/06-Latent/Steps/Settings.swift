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
    /// The KL weights compared in section 3; the middle one is the chapter's VAE.
    public var klWeights: [Float]
    /// Steps of the pixel-space diffusion model; the latent model gets as many steps as the same
    /// compute buys (section 6).
    public var pixelDiffusionSteps: Int
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
        klWeights: [0.01, 0.1, 1], pixelDiffusionSteps: 8, diffusionBatch: 16, samplingSteps: 10,
        sampleCount: 16, classifierSteps: 30)

    /// The full run behind the committed figures.
    public static let full = LatentSettings(
        trainCount: 4000, testCount: 500, autoencoderSteps: 500, autoencoderBatch: 32, autoencoderWidth: 16,
        klWeights: [0.01, 0.1, 1], pixelDiffusionSteps: 150, diffusionBatch: 32, samplingSteps: 40,
        sampleCount: 64, classifierSteps: 300)

    /// The KL weight of the chapter's VAE.
    public var mainKLWeight: Float { klWeights[klWeights.count / 2] }
}
