/// The sizes of one run of the chapter: `quick` for a smoke run, `full` for the committed figures.
public struct TextToImageSettings: Sendable {
    /// Training scenes: chapter 07's training set (its text encoder saw these captions).
    public var trainCount: Int
    /// Held-out single-shape scenes: the judge's ceiling and the real reference for Fréchet distance.
    public var testCount: Int
    /// Single-shape scenes of every kind–colour pair the judge learns from.
    public var judgeCount: Int
    /// Optimiser steps of the judge.
    public var judgeSteps: Int
    /// Optimiser steps of the text-conditioned U-Net.
    public var steps: Int
    /// Latents per step.
    public var batch: Int
    /// Channels of the U-Net's full-resolution level (the 4×4 level has twice as many).
    public var baseChannels: Int
    /// Share of training captions replaced by the empty caption (so one network also learns ε̂(∅)).
    public var dropout: Double
    /// Samples per prompt in every measurement.
    public var samplesPerPrompt: Int
    /// DDIM steps of the default sampler.
    public var samplingSteps: Int
    /// DDIM's η for every sample: 0 deterministic, 1 fresh noise at every jump as in DDPM (the
    /// chapter's choice; the report compares it with η = 0 at the chosen guidance setting).
    public var eta: Double = 1
    /// The guidance scales of the sweep (this course's convention: 0 ignores the text, 1 is plain conditional).
    public var guidanceScales: [Float]
    /// The caption every single-shape prompt shares (one shape, of no stated kind or colour): the
    /// second sweep guides away from it, the third pulls towards it with its own scale a.
    public var sharedCaption = "a shape"
    /// The third sweep's grid: scales a of the shared caption, each with every scale in `twoScaleWs`.
    public var sharedScales: [Float]
    /// The third sweep's prompt scales w.
    public var twoScaleWs: [Float]
    /// Samples per prompt of the confirming run at the chosen setting, drawn from fresh noise so the
    /// reported adherence is not the best of several draws.
    public var confirmPerPrompt: Int
    /// Optimiser steps of the pooled-text (FiLM-style) baseline.
    public var baselineSteps: Int
    /// Steps of fine-tuning chapter 06's VAE on the scenes (batch 32).
    public var vaeSteps: Int
    /// β of the fine-tuning (chapter 06 used 0.1; a smaller β lets the latent keep the small shapes).
    public var vaeKLWeight: Float = 0.001

    /// The smoke run (well under a minute).
    public static let quick = TextToImageSettings(
        trainCount: 1500, testCount: 96, judgeCount: 600, judgeSteps: 60, steps: 40, batch: 32, baseChannels: 32,
        dropout: 0.1, samplesPerPrompt: 4, samplingSteps: 10, guidanceScales: [0, 1, 3], sharedScales: [2], twoScaleWs: [3], confirmPerPrompt: 8, baselineSteps: 20, vaeSteps: 30)

    /// The full run behind the committed figures.
    public static let full = TextToImageSettings(
        trainCount: 8000, testCount: 480, judgeCount: 3000, judgeSteps: 1200, steps: 1400, batch: 128, baseChannels: 64,
        dropout: 0.1, samplesPerPrompt: 16, samplingSteps: 25, guidanceScales: [0, 1, 2, 3, 5, 7.5, 10], sharedScales: [2, 3],
        twoScaleWs: [3, 5, 7.5], confirmPerPrompt: 32,
        baselineSteps: 1400, vaeSteps: 3000)
}
