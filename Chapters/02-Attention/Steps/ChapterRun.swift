import Datasets
import Engine
import Models

/// The sizes the chapter trains at: a full run (a few minutes on two cores, cached afterwards) and
/// a quick one (seconds, for `--quick` and the tests).
public enum ChapterRun {
    /// Documents on each side of the train/validation split.
    public static func documents(quick: Bool) -> (train: Int, validation: Int) {
        quick ? (600, 60) : (12000, 200)
    }

    /// The GPT and its training schedule. The full run is sized so that samples read as stories:
    /// d = 128, 4 layers, a context of 128 bytes, and about 5 M training bytes seen, with the
    /// learning rate decayed almost to zero at the last step (a schedule that ends while the rate
    /// is still high leaves the weights noisy and the validation loss visibly higher).
    public static func pretraining(quick: Bool) -> PretrainConfig {
        if quick {
            return PretrainConfig(model: GPTConfig(vocab: 256, context: 32, width: 32, heads: 4, layers: 2),
                                  batch: 16, steps: 300, learningRate: 1e-2, warmup: 15, minLR: 1e-3,
                                  evaluations: 10, validationBatches: 2)
        }
        return PretrainConfig(model: GPTConfig(vocab: 256, context: 128, width: 128, heads: 4, layers: 4),
                              batch: 32, steps: 1200, learningRate: 3e-3, warmup: 60, minLR: 1e-4,
                              evaluations: 20, validationBatches: 4)
    }
}

extension ChapterRun {
    /// The prompt the chapter's training samples start from.
    public static let samplePrompt = "Once upon a time"

    /// The story bytes the chapter trains and validates on.
    public static func storyData(quick: Bool, seed: UInt64) -> ByteCorpus {
        let docs = documents(quick: quick)
        return ByteCorpus(corpus: StoryCorpus(seed: seed), trainDocuments: docs.train, validationDocuments: docs.validation)
    }

    /// The chapter's pre-training run exactly as the chapter runs it (data, settings, samples,
    /// seed), restored from `cache` when it holds it. Chapter 10 fine-tunes the model it returns,
    /// so both chapters share one cache entry and one definition of "chapter 02's GPT".
    public static func pretrainStoryGPT(quick: Bool, seed: UInt64, data: ByteCorpus, cache: TrainingCache,
                                        onStep: (Int) -> Void = { _ in }) throws -> PretrainResult {
        let docs = documents(quick: quick)
        return try pretrain(pretraining(quick: quick), data: data, samplePrompt: samplePrompt, sampleLength: quick ? 60 : 160,
                            seed: seed, cache: cache, dataKey: "stories\(docs.train)+\(docs.validation)-seed\(seed)", onStep: onStep)
    }
}
