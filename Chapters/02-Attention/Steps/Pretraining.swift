import Datasets
import Engine
import Models

/// Step 6: the sizes and schedule of a pre-training run.
public struct PretrainConfig: Sendable {
    /// The model: byte vocabulary, context, width, heads, layers.
    public var model: GPTConfig
    /// Windows per batch.
    public var batch: Int
    /// Optimizer steps.
    public var steps: Int
    /// Peak learning rate, reached after `warmup` steps, then cosine decay to `minLR` at `steps`.
    public var learningRate: Float, warmup: Int, minLR: Float
    /// Decoupled AdamW weight decay.
    public var weightDecay: Float
    /// Gradient-norm clip.
    public var clip: Float
    /// Steps at which train and validation loss are measured (step 0 is the untrained model).
    public var evaluateAt: [Int]
    /// Steps at which a sample is drawn (a subset of `evaluateAt`).
    public var sampleAt: [Int]
    /// Validation batches scored at each evaluation (fixed windows).
    public var validationBatches: Int

    /// A configuration; `evaluateAt` is spread roughly evenly on a log scale from 0 to `steps`.
    public init(model: GPTConfig, batch: Int, steps: Int, learningRate: Float, warmup: Int, minLR: Float,
                weightDecay: Float = 0.01, clip: Float = 1, evaluations: Int = 24, samples: Int = 4,
                validationBatches: Int = 4) {
        self.model = model
        self.batch = batch
        self.steps = steps
        self.learningRate = learningRate
        self.warmup = warmup
        self.minLR = minLR
        self.weightDecay = weightDecay
        self.clip = clip
        self.validationBatches = validationBatches
        let evals = logSpacedSteps(steps, count: evaluations)
        evaluateAt = evals
        // Samples at the start, early, a quarter of the way and at the end, each moved to the
        // nearest evaluation step.
        let wanted = [0, steps / 16, steps / 4, steps]
        sampleAt = Array(Set(wanted.prefix(Swift.max(2, samples)).map { s in evals.min { abs($0 - s) < abs($1 - s) }! })).sorted()
    }

    /// Everything that determines the run, for the training cache.
    public var cacheKey: String {
        "gpt-\(model.vocab)v-\(model.context)c-\(model.width)w-\(model.heads)h-\(model.layers)l-d\(model.dropout)-b\(batch)-s\(steps)-lr\(learningRate)-w\(warmup)"
            + "-min\(minLR)-wd\(weightDecay)-clip\(clip)-e\(evaluateAt.count)-v\(validationBatches)"
    }

    /// The schedule the optimizer follows.
    public var schedule: LRSchedule { .warmupCosine(base: learningRate, warmup: warmup, total: steps, minLR: minLR) }
}

/// 0, then `count − 1` steps spread evenly in log(step) up to `steps` (duplicates removed).
public func logSpacedSteps(_ steps: Int, count: Int) -> [Int] {
    guard steps > 1, count > 2 else { return steps > 0 ? [0, steps] : [0] }
    var out: Set<Int> = [0, steps]
    for i in 0..<(count - 1) {
        let s = exp(log(Double(steps)) * Double(i) / Double(count - 2))
        out.insert(Swift.min(steps, Int(s.rounded())))
    }
    return out.sorted()
}

/// One evaluation point of a pre-training run.
public struct EvalPoint: Sendable {
    /// Optimizer steps taken so far.
    public var step: Int
    /// Mean training loss (bits per character) over the batches since the previous evaluation, or
    /// the loss on one fresh training batch at step 0.
    public var trainBits: Double
    /// Loss on the fixed validation windows (bits per character).
    public var validationBits: Double
    /// Learning rate used by the step just taken.
    public var learningRate: Float
    /// ‖θ − θ₀‖ / ‖θ₀‖: how far the weights have moved from their initial values.
    public var relativeWeightChange: Double
}

/// A text the model wrote at some step of training.
public struct TrainingSample: Sendable {
    public var step: Int
    public var text: String
}

/// What a pre-training run produced.
public struct PretrainResult {
    /// The trained model (in eval mode).
    public let model: GPT
    /// Loss and weight change at every evaluation step.
    public let curve: [EvalPoint]
    /// Samples drawn at `config.sampleAt`.
    public let samples: [TrainingSample]
    /// Whether the run was restored from the training cache.
    public let cached: Bool
    /// The last evaluation.
    public var final: EvalPoint { curve[curve.count - 1] }

    init(model: GPT, curve: [EvalPoint], samples: [TrainingSample], cached: Bool) {
        self.model = model
        self.curve = curve
        self.samples = samples
        self.cached = cached
    }

    /// The curve and samples as the float series a `TrainingCache` stores (a sample's bytes as floats).
    var series: [String: [Float]] {
        var out: [String: [Float]] = [
            "step": curve.map { Float($0.step) }, "train": curve.map { Float($0.trainBits) },
            "validation": curve.map { Float($0.validationBits) }, "lr": curve.map(\.learningRate),
            "change": curve.map { Float($0.relativeWeightChange) },
        ]
        for s in samples { out["sample.\(s.step)"] = byteIDs(s.text).map(Float.init) }
        return out
    }

    /// A result rebuilt from cached series, or nil when they do not match `config`.
    init?(model: GPT, series: [String: [Float]], config: PretrainConfig) {
        guard let steps = series["step"], steps.map({ Int($0) }) == config.evaluateAt,
              let train = series["train"], let validation = series["validation"], let lr = series["lr"],
              let change = series["change"], [train.count, validation.count, lr.count, change.count].allSatisfy({ $0 == steps.count })
        else { return nil }
        var samples: [TrainingSample] = []
        for step in config.sampleAt {
            guard let bytes = series["sample.\(step)"] else { return nil }
            samples.append(TrainingSample(step: step, text: String(decoding: bytes.map { UInt8($0) }, as: UTF8.self)))
        }
        let curve = steps.indices.map {
            EvalPoint(step: Int(steps[$0]), trainBits: Double(train[$0]), validationBits: Double(validation[$0]),
                      learningRate: lr[$0], relativeWeightChange: Double(change[$0]))
        }
        self.init(model: model, curve: curve, samples: samples, cached: true)
    }
}

/// Mean cross-entropy of `model` over `batches`, in bits per character, without building a graph.
public func evaluateBits(_ model: GPT, _ batches: [(inputs: [[Int]], targets: [[Int]])]) -> Double {
    let wasTraining = model.isTraining
    model.eval()
    defer { if wasTraining { model.train() } }
    var nats = 0.0
    Tensor.noGrad {
        for b in batches { nats += Double(model.loss(b.inputs, b.targets).item()) }
    }
    return nats / Double(batches.count) / log(2.0)
}

/// Trains a GPT from scratch on next-byte prediction with AdamW, linear warmup and cosine decay,
/// and gradient clipping. Deterministic for a given seed (initialisation, batches and samples
/// each draw from their own stream). `onStep` is called after every optimizer step.
///
/// With a `cache`, a finished run is stored under a key naming the configuration, the data
/// (`dataKey`), the sampling settings and the seed, and a later call restores it instead of
/// training. The curve is kept as float32 in both cases (the cache's precision), so a restored run
/// reports exactly the numbers of a fresh one; `cached` in the result says which it was.
public func pretrain(_ config: PretrainConfig, data: ByteCorpus, samplePrompt: String, sampleLength: Int,
                     seed: UInt64, cache: TrainingCache = TrainingCache(folder: nil, fresh: false), dataKey: String = "",
                     onStep: (Int) -> Void = { _ in }) throws -> PretrainResult {
    var initRNG = RNG(seed: seed)
    var batchRNG = RNG(seed: seed &+ 1)
    let model = GPT(config.model, rng: &initRNG)
    let key = config.cacheKey + "-" + dataKey + "-sample\(sampleLength)-\(samplePrompt)-seed\(seed)"
    if let series = cache.restore(model, key: key), let restored = PretrainResult(model: model, series: series, config: config) {
        model.eval()
        return restored
    }
    let params = model.parameters
    let initial = params.map(\.values)
    let initialNorm = initial.reduce(0.0) { $0 + $1.reduce(0.0) { $0 + Double($1) * Double($1) } }.squareRoot()
    func weightChange() -> Double {
        var ss = 0.0
        for (p, p0) in zip(params, initial) {
            let d = p.data
            for i in 0..<p.count { let v = Double(d[i] - p0[i]); ss += v * v }
        }
        return ss.squareRoot() / initialNorm
    }
    let optimizer = AdamW(params, lr: config.learningRate, weightDecay: config.weightDecay)
    let validation = data.validationBatches(count: config.validationBatches, batch: config.batch, length: config.model.context)
    let evalSet = Set(config.evaluateAt), sampleSet = Set(config.sampleAt)

    var curve: [EvalPoint] = [], samples: [TrainingSample] = []
    var sinceEval = 0.0, batchesSinceEval = 0
    func record(step: Int, lr: Float) {
        var train = sinceEval / Double(Swift.max(batchesSinceEval, 1)) / log(2.0)
        if batchesSinceEval == 0 {
            var probe = RNG(seed: seed &+ 2)
            let b = data.trainingBatch(batch: config.batch, length: config.model.context, rng: &probe)
            train = evaluateBits(model, [b])
        }
        // Rounded to float32, the precision the cache keeps, so fresh and cached runs agree exactly.
        func f32(_ x: Double) -> Double { Double(Float(x)) }
        curve.append(EvalPoint(step: step, trainBits: f32(train), validationBits: f32(evaluateBits(model, validation)),
                               learningRate: lr, relativeWeightChange: f32(weightChange())))
        sinceEval = 0; batchesSinceEval = 0
        if sampleSet.contains(step) {
            var rng = RNG(seed: seed &+ 3)
            let text = sampleText(model, prompt: samplePrompt, count: sampleLength, rule: .sample(temperature: 0.8, topK: nil), rng: &rng)
            samples.append(TrainingSample(step: step, text: text))
        }
    }

    model.train()
    record(step: 0, lr: 0)
    try trainingLoop(steps: config.steps, optimizer: optimizer, schedule: config.schedule, clip: config.clip,
                     afterStep: { step, loss in
        sinceEval += Double(loss); batchesSinceEval += 1
        if evalSet.contains(step + 1) { record(step: step + 1, lr: optimizer.learningRate) }
        onStep(step)
    }) { _ in
        let b = data.trainingBatch(batch: config.batch, length: config.model.context, rng: &batchRNG)
        return model.loss(b.inputs, b.targets)
    }
    model.eval()
    let result = PretrainResult(model: model, curve: curve, samples: samples, cached: false)
    cache.store(model, key: key, series: result.series)
    return result
}
