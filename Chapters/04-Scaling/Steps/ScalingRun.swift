import Datasets
import Foundation
import Engine
import Models

/// Everything that determines a training run's numbers: the cache key.
public struct RunConfig: Sendable, Equatable, Codable {
    /// Model shape.
    public var size: ModelSize
    /// Context in bytes; every window is this long.
    public var context: Int
    /// Windows per batch.
    public var batch: Int
    /// Optimizer steps.
    public var steps: Int
    /// Linear warmup steps; the learning rate is constant after them.
    public var warmup: Int
    /// Peak (and constant) learning rate.
    public var learningRate: Float
    /// Steps after which the validation loss is measured.
    public var checkpoints: [Int]
    /// Fixed validation batches per evaluation.
    public var validationBatches: Int
    /// Validation windows for the final loss-per-position measurement: many more than a checkpoint
    /// uses, because each position's loss is an average over one byte per window.
    public var positionWindows: Int
    /// The data split (documents of the story corpus with its seed 0).
    public var trainDocuments: Int, validationDocuments: Int
    /// Seeds the initialisation and the batch order.
    public var seed: UInt64
    /// When true the learning rate decays after warmup along a cosine to a tenth of its peak at the
    /// last step (the IsoFLOP runs, each tuned to its own length); when false it stays constant.
    public var decayToEnd: Bool = false
    /// In-context prompts per number of shots scored at the end of the run (0: none).
    public var iclPromptsPerShot: Int = 0
    /// Train on the stories with every character's name replaced by an invented one (step 5).
    public var inventedNames: Bool = false

    /// The GPT this run trains.
    public var model: GPTConfig { size.config(context: context) }

    /// Tokens seen after `step` optimizer steps.
    public func tokens(afterSteps step: Int) -> Int { step * batch * context }

    /// Training FLOPs of the whole run: tokens × FLOPs per token (evaluation not counted).
    public var trainingFLOPs: Double { Double(tokens(afterSteps: steps)) * trainingFLOPsPerToken(model) }

    /// The learning rate at optimizer step `step` (0-based): linear warmup to the peak, then
    /// constant, or (with `decayToEnd`) a cosine from the peak down to a tenth of it at the last step.
    public func learningRate(atStep step: Int) -> Float {
        if step < warmup { return learningRate * Float(step + 1) / Float(warmup) }
        guard decayToEnd, steps - 1 > warmup else { return learningRate }
        let progress = Double(step - warmup) / Double(steps - 1 - warmup)
        return learningRate * Float(0.1 + 0.9 * 0.5 * (1 + cos(Double.pi * progress)))
    }

    /// A file name that spells the whole configuration, so runs never share a cache file by accident.
    public var cacheName: String {
        let lr = String(format: "%.6g", Double(learningRate))
        let ck = checkpoints.map(String.init).joined(separator: "_")
        return "d\(size.width)-L\(size.layers)-h\(size.heads)-t\(context)-b\(batch)-s\(steps)-w\(warmup)-lr\(lr)"
            + "-ck\(ck.count <= 60 ? ck : String(ck.hashValueStable))-v\(validationBatches)-p\(positionWindows)-docs\(trainDocuments)_\(validationDocuments)-seed\(seed)"
            + (decayToEnd ? "-cos" : "") + (iclPromptsPerShot > 0 ? "-icl\(iclPromptsPerShot)" : "") + (inventedNames ? "-invented" : "")
    }
}

extension RunConfig {
    /// Reads a stored configuration; fields added after a file was written take their defaults,
    /// so results cached before a new option existed still match the runs they came from.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        size = try c.decode(ModelSize.self, forKey: .size)
        context = try c.decode(Int.self, forKey: .context)
        batch = try c.decode(Int.self, forKey: .batch)
        steps = try c.decode(Int.self, forKey: .steps)
        warmup = try c.decode(Int.self, forKey: .warmup)
        learningRate = try c.decode(Float.self, forKey: .learningRate)
        checkpoints = try c.decode([Int].self, forKey: .checkpoints)
        validationBatches = try c.decode(Int.self, forKey: .validationBatches)
        positionWindows = try c.decode(Int.self, forKey: .positionWindows)
        trainDocuments = try c.decode(Int.self, forKey: .trainDocuments)
        validationDocuments = try c.decode(Int.self, forKey: .validationDocuments)
        seed = try c.decode(UInt64.self, forKey: .seed)
        decayToEnd = try c.decodeIfPresent(Bool.self, forKey: .decayToEnd) ?? false
        iclPromptsPerShot = try c.decodeIfPresent(Int.self, forKey: .iclPromptsPerShot) ?? 0
        inventedNames = try c.decodeIfPresent(Bool.self, forKey: .inventedNames) ?? false
    }
}

extension String {
    /// FNV-1a of the UTF-8 bytes: a hash that, unlike `hashValue`, is the same in every process.
    var hashValueStable: UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }
}

/// The validation loss at one checkpoint of a run.
public struct Checkpoint: Sendable, Equatable, Codable {
    /// Optimizer steps taken.
    public var step: Int
    /// Tokens (predicted bytes) seen so far.
    public var tokens: Int
    /// Mean validation loss in bits per character.
    public var bits: Double
}

/// What a run produced: everything the figures need, small enough to cache as JSON.
public struct RunResult: Sendable, Equatable, Codable {
    /// The configuration that produced it.
    public var config: RunConfig
    /// Validation loss at each checkpoint reached (fewer than planned if the run diverged).
    public var checkpoints: [Checkpoint]
    /// Final validation loss at each position of the context window (bits per character), over
    /// `config.positionWindows` windows: position 0 predicts the second byte of a window from one
    /// byte of context. Empty if the run diverged.
    public var positionBits: [Double]
    /// True when the training loss became NaN or infinite, which stops the run.
    public var diverged: Bool
    /// Wall-clock seconds of training (machine-dependent: only for the timings section).
    public var seconds: Double
    /// Accuracy of the in-context name task for 0, 1, 2, … shots (empty unless asked for).
    public var iclAccuracy: [Double] = []

    /// The last checkpoint's loss, or nil for a run that diverged before reaching it.
    public var finalBits: Double? { diverged ? nil : checkpoints.last?.bits }

    /// Wall time is the one field that differs between a cached and a fresh run.
    public static func == (a: RunResult, b: RunResult) -> Bool {
        a.config == b.config && a.checkpoints == b.checkpoints && a.positionBits == b.positionBits && a.diverged == b.diverged
            && a.iclAccuracy == b.iclAccuracy
    }
}

/// The data every run shares: the byte stream of the story corpus and the fixed validation windows.
public struct ScalingData {
    /// Train/validation split of the corpus.
    public let corpus: ByteCorpus
    /// The context length the validation windows are cut for.
    public let context: Int

    /// Whether every character's name was replaced by an invented one.
    public let inventedNames: Bool

    /// Splits documents of `StoryCorpus(seed: 0)`; with `inventedNames`, each story's character
    /// names are first replaced by invented ones (`withInventedNames`, seeded by the story's index).
    public init(trainDocuments: Int, validationDocuments: Int, context: Int, inventedNames: Bool = false) {
        if inventedNames {
            let stories = StoryCorpus(seed: 0).documents(0..<(trainDocuments + validationDocuments)).enumerated().map { i, story in
                var rng = RNG(seed: 0x1A7E_0000 &+ UInt64(i))
                // Each story is followed by a short drill about another invented character.
                return withInventedNames(story.text, rng: &rng) + " " + nameDrill(&rng)
            }
            corpus = ByteCorpus(trainTexts: Array(stories[0..<trainDocuments]), validationTexts: Array(stories[trainDocuments...]))
        } else {
            corpus = ByteCorpus(corpus: StoryCorpus(seed: 0), trainDocuments: trainDocuments, validationDocuments: validationDocuments)
        }
        self.context = context
        self.inventedNames = inventedNames
    }

    /// The in-context name task's prompts for this context, `perShot` for each number of shots
    /// (seeded and fixed, so every run is scored on the same prompts).
    public func namePrompts(perShot: Int) -> [NamePrompt] {
        NameTask(context: context).prompts(perShot: perShot, validation: corpus.validation)
    }
}

/// Validation loss of `model` on `batches`: the mean over all predictions in bits, and the mean at
/// each position of the window. Computed from the log-softmax without building a graph.
public func validationLoss(_ model: GPT, _ batches: [(inputs: [[Int]], targets: [[Int]])]) -> (mean: Double, perPosition: [Double]) {
    let t = batches[0].inputs[0].count, v = model.config.vocab
    var sums = [Double](repeating: 0, count: t)
    var rows = 0
    model.eval()
    Tensor.noGrad {
        for b in batches {
            // Scoped: the log-probabilities are a temporary, freed after their last use.
            model(b.inputs).logSoftmax().withUnsafeValues { p in
                for (r, targets) in b.targets.enumerated() {
                    for (j, target) in targets.enumerated() { sums[j] -= Double(p[(r * t + j) * v + target]) }
                }
            }
            rows += b.targets.count
        }
    }
    let ln2 = log(2.0)
    let perPosition = sums.map { $0 / Double(rows) / ln2 }
    return (perPosition.reduce(0, +) / Double(t), perPosition)
}

/// Trains one GPT from scratch on next-byte prediction: AdamW, linear warmup then a constant (or,
/// for the IsoFLOP runs, cosine-decayed) learning rate, gradient clipping at norm 1, a fresh random batch of windows per step. The
/// initialisation and the batch order come from `config.seed` (two separate streams), so a run
/// is reproducible bit for bit. A non-finite training loss ends the run as diverged rather than
/// throwing: in the learning-rate sweep divergence is a result, not an error.
///
/// The constant rate (no decay) makes every checkpoint a fair "trained for this many tokens" point
/// — a decaying schedule would tie each checkpoint to the total length of its run.
public func train(_ config: RunConfig, data: ScalingData, onStep: (Int) -> Void = { _ in }) -> RunResult {
    precondition(data.context == config.context && data.corpus.trainDocuments == config.trainDocuments
                 && data.corpus.validationDocuments == config.validationDocuments && data.inventedNames == config.inventedNames,
                 "run configuration and data split disagree")
    let start = monotonicSeconds()
    var initRNG = RNG(seed: config.seed &* 0x9E37_79B9_7F4A_7C15 &+ 11)
    var batchRNG = RNG(seed: config.seed &* 0x9E37_79B9_7F4A_7C15 &+ 12)
    let model = GPT(config.model, rng: &initRNG)
    let params = model.parameters
    let optimizer = AdamW(params, lr: config.learningRate, weightDecay: 0.01)
    let validation = data.corpus.validationBatches(count: config.validationBatches, batch: config.batch, length: config.context)
    let evaluateAt = Set(config.checkpoints)
    var checkpoints: [Checkpoint] = []
    var positionBits: [Double] = []
    var diverged = false
    for step in 0..<config.steps {
        model.train()
        let b = data.corpus.trainingBatch(batch: config.batch, length: config.context, rng: &batchRNG)
        let loss = model.loss(b.inputs, b.targets)
        guard loss.item().isFinite else { diverged = true; break }
        optimizer.zeroGrad()
        loss.backward()
        _ = clipGradNorm(params, maxNorm: 1)
        optimizer.learningRate = config.learningRate(atStep: step)
        optimizer.step()
        if evaluateAt.contains(step + 1) {
            let v = validationLoss(model, validation)
            guard v.mean.isFinite else { diverged = true; break }
            checkpoints.append(Checkpoint(step: step + 1, tokens: config.tokens(afterSteps: step + 1), bits: v.mean))
        }
        onStep(step)
    }
    if !diverged && config.positionWindows > 0 {
        let windows = data.corpus.validationBatches(count: config.positionWindows / config.batch, batch: config.batch, length: config.context)
        positionBits = validationLoss(model, windows).perPosition
    }
    var icl: [Double] = []
    if !diverged && config.iclPromptsPerShot > 0 {
        icl = NameTask(context: config.context).accuracyByShots(model, data.namePrompts(perShot: config.iclPromptsPerShot))
    }
    return RunResult(config: config, checkpoints: checkpoints, positionBits: positionBits, diverged: diverged,
                     seconds: monotonicSeconds() - start, iclAccuracy: icl)
}

/// Seconds on a monotonic clock.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

