import Engine
import Models

/// Every size, budget and seed of the chapter's runs, for a full run and for `--quick`.
///
/// One grid feeds steps 2–4: each run trains for the same number of tokens at a constant learning
/// rate (after warmup) and is evaluated at log-spaced checkpoints, so its final checkpoint is a
/// point of the size sweep, its checkpoints are its data sweep, and tokens × FLOPs per token puts
/// every checkpoint on the compute axis.
public struct ScalingPlan: Sendable {
    /// The model family, smallest first.
    public var sizes: [ModelSize]
    /// Context length in bytes (also the evaluation window).
    public var context: Int
    /// Windows per batch.
    public var batch: Int
    /// Optimizer steps of every size-sweep run.
    public var steps: Int
    /// Linear warmup steps before the constant learning rate.
    public var warmup: Int
    /// Steps at which the validation loss is measured (log-spaced, ending at `steps`).
    public var checkpoints: [Int]
    /// Fixed validation batches per evaluation.
    public var validationBatches: Int
    /// Validation windows for the loss-per-position measurement at the end of each run.
    public var positionWindows: Int
    /// Training seeds (each size is trained once per seed).
    public var seeds: [UInt64]
    /// Documents on each side of the train/validation split.
    public var trainDocuments: Int, validationDocuments: Int
    /// Sizes (indices into `sizes`) of the learning-rate sweep.
    public var sweepSizes: [Int]
    /// Learning rates of the sweep.
    public var sweepRates: [Float]
    /// Steps of each sweep run (shorter than the main runs: instability shows early).
    public var sweepSteps: Int
    /// The IsoFLOP study: budgets, the size ladder and which sizes each budget trains.
    public var isoFLOP: IsoFLOPPlan
    /// In-context name-task prompts per number of shots, scored at the end of each size-sweep run.
    public var iclPromptsPerShot: Int
    /// Sizes trained on the stories with invented names (step 5), smallest first.
    public var iclSizes: [ModelSize]
    /// Optimizer steps of each of those runs.
    public var iclSteps: Int

    /// The full chapter (about 2.5 minutes of training on two cores: 12 size-sweep runs
    /// of 800 steps and 21 learning-rate runs of 240) or the quick one (seconds).
    public static func chapter(quick: Bool) -> ScalingPlan {
        if quick {
            return ScalingPlan(
                sizes: [ModelSize(width: 8, layers: 1, heads: 1), ModelSize(width: 12, layers: 1, heads: 1),
                        ModelSize(width: 16, layers: 1, heads: 1), ModelSize(width: 16, layers: 2, heads: 2),
                        ModelSize(width: 24, layers: 2, heads: 2), ModelSize(width: 32, layers: 2, heads: 2)],
                context: 32, batch: 16, steps: 200, warmup: 20,
                checkpoints: logSpacedCheckpoints(from: 5, to: 200, count: 8),
                validationBatches: 8, positionWindows: 512, seeds: [1, 2], trainDocuments: 2000, validationDocuments: 60,
                sweepSizes: [0, 5], sweepRates: [2e-3, 8e-3, 3.2e-2], sweepSteps: 80,
                isoFLOP: IsoFLOPPlan(
                    budgets: [5e8, 1.5e9, 5e9, 1.5e10],
                    ladder: [ModelSize(width: 8, layers: 1, heads: 1), ModelSize(width: 12, layers: 1, heads: 1),
                             ModelSize(width: 16, layers: 1, heads: 1), ModelSize(width: 16, layers: 2, heads: 2),
                             ModelSize(width: 24, layers: 2, heads: 2), ModelSize(width: 32, layers: 2, heads: 2)],
                    windows: [[0, 1, 2], [0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5]]),
                iclPromptsPerShot: 32,
                iclSizes: [ModelSize(width: 16, layers: 1, heads: 1), ModelSize(width: 16, layers: 2, heads: 2)], iclSteps: 100)
        }
        return ScalingPlan(
            sizes: [ModelSize(width: 16, layers: 1, heads: 1), ModelSize(width: 24, layers: 1, heads: 2),
                    ModelSize(width: 32, layers: 2, heads: 2), ModelSize(width: 48, layers: 2, heads: 3),
                    ModelSize(width: 64, layers: 2, heads: 4), ModelSize(width: 64, layers: 4, heads: 4)],
            context: 64, batch: 16, steps: 800, warmup: 30,
            checkpoints: logSpacedCheckpoints(from: 8, to: 800, count: 12),
            validationBatches: 12, positionWindows: 1024, seeds: [1, 2], trainDocuments: 10000, validationDocuments: 200,
            sweepSizes: [0, 2, 4], sweepRates: [2e-3, 4e-3, 8e-3, 1.6e-2, 3.2e-2, 6.4e-2, 1.28e-1], sweepSteps: 240,
            isoFLOP: IsoFLOPPlan(
                budgets: [6e10, 1.5e11, 4e11, 1e12],
                ladder: [ModelSize(width: 16, layers: 1, heads: 1), ModelSize(width: 24, layers: 1, heads: 2),
                         ModelSize(width: 24, layers: 2, heads: 2), ModelSize(width: 32, layers: 2, heads: 2),
                         ModelSize(width: 48, layers: 2, heads: 3), ModelSize(width: 64, layers: 2, heads: 4),
                         ModelSize(width: 64, layers: 4, heads: 4), ModelSize(width: 96, layers: 4, heads: 4)],
                windows: [[0, 1, 2, 3, 4], [0, 1, 2, 3, 4, 5], [2, 3, 4, 5, 6], [3, 4, 5, 6, 7]]),
            iclPromptsPerShot: 128,
            iclSizes: [ModelSize(width: 32, layers: 2, heads: 2), ModelSize(width: 64, layers: 2, heads: 4)],
            iclSteps: 3000)
    }

    /// Tokens (predicted bytes) per optimizer step.
    public var tokensPerStep: Int { batch * context }

    /// The size-sweep run of `size` with `seed`.
    public func run(_ size: ModelSize, seed: UInt64) -> RunConfig {
        RunConfig(size: size, context: context, batch: batch, steps: steps, warmup: warmup,
                  learningRate: learningRate(width: size.width), checkpoints: checkpoints,
                  validationBatches: validationBatches, positionWindows: positionWindows, trainDocuments: trainDocuments,
                  validationDocuments: validationDocuments, seed: seed, iclPromptsPerShot: iclPromptsPerShot)
    }

    /// The learning-rate sweep run of `size` at `rate` with `seed`; evaluated only at its end.
    public func sweepRun(_ size: ModelSize, rate: Float, seed: UInt64) -> RunConfig {
        RunConfig(size: size, context: context, batch: batch, steps: sweepSteps, warmup: Swift.max(1, sweepSteps / 10),
                  learningRate: rate, checkpoints: [sweepSteps], validationBatches: validationBatches, positionWindows: 0,
                  trainDocuments: trainDocuments, validationDocuments: validationDocuments, seed: seed)
    }

    /// The in-context run of `size` with `seed` (step 5): the stories with invented names, the
    /// schedule decayed to the end, one evaluation and the name task at the end.
    public func iclRun(_ size: ModelSize, seed: UInt64) -> RunConfig {
        var c = run(size, seed: seed)
        c.steps = iclSteps
        c.checkpoints = [iclSteps]
        c.positionWindows = 0
        c.decayToEnd = true
        c.inventedNames = true
        return c
    }
}

/// `count` step numbers spread evenly in log(step) from `from` to `to` (rounded, duplicates removed).
public func logSpacedCheckpoints(from: Int, to: Int, count: Int) -> [Int] {
    precondition(from >= 1 && to > from && count >= 2, "need 1 ≤ from < to and at least 2 checkpoints")
    let a = log(Double(from)), b = log(Double(to))
    let steps = (0..<count).map { i in Int(exp(a + (b - a) * Double(i) / Double(count - 1)).rounded()) }
    return Array(Set(steps + [to])).sorted()
}

