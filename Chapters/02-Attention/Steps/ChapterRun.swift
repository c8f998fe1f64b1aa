import Models

/// The sizes the chapter trains at: a full run (about ten seconds of training on two cores) and a
/// quick one (seconds, for `--quick` and the tests).
public enum ChapterRun {
    /// Documents on each side of the train/validation split.
    public static func documents(quick: Bool) -> (train: Int, validation: Int) {
        quick ? (600, 60) : (4000, 200)
    }

    /// The GPT and its training schedule.
    public static func pretraining(quick: Bool) -> PretrainConfig {
        if quick {
            return PretrainConfig(model: GPTConfig(vocab: 256, context: 32, width: 32, heads: 4, layers: 2),
                                  batch: 16, steps: 300, learningRate: 1e-2, warmup: 15, minLR: 1e-3,
                                  evaluations: 10, validationBatches: 2)
        }
        return PretrainConfig(model: GPTConfig(vocab: 256, context: 64, width: 64, heads: 4, layers: 2),
                              batch: 16, steps: 1000, learningRate: 6e-3, warmup: 50, minLR: 6e-4,
                              evaluations: 24, validationBatches: 4)
    }
}
