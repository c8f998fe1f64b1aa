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
