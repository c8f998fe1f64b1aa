import Ch02Attention
import Datasets
import Models

/// The sizes the chapter runs at: full (a few minutes on two cores) and quick (seconds).
public enum ChapterRun {
    /// The pool's mix: about 14 MB in a full run, a fifth of that in a quick one.
    public static func mix(quick: Bool) -> CrawlMix { CrawlMix.standard(scale: quick ? 0.2 : 1) }

    /// Examples per class for training the pipeline's classifiers.
    public static func classifierSamples(quick: Bool) -> Int { quick ? 400 : 1500 }

    /// Held-out clean stories the trained models are scored on.
    public static func validationStories(quick: Bool) -> Int { quick ? 60 : 200 }

    /// The GPT and schedule: chapter 02's, so the numbers compare with its loss curve.
    public static func pretraining(quick: Bool) -> PretrainConfig {
        var c = Ch02Attention.ChapterRun.pretraining(quick: quick)
        c.evaluateAt = [0, c.steps]
        c.sampleAt = []
        return c
    }

    /// Seeds of the two runs per training set.
    public static let seeds: [UInt64] = [1, 2]
}
