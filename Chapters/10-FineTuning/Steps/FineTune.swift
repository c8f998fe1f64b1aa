import Ch02Attention
import Datasets
import Engine
import Models

/// How a run adapts the model to the new domain.
public enum TuneMethod: Hashable, Sendable {
    /// A fresh GPT of the same shape trained on the new domain only.
    case scratch
    /// Every weight of the pre-trained GPT trained further.
    case full
    /// The pre-trained GPT frozen, rank-r adapters on its projections trained.
    case lora(rank: Int)

    /// A name for tables and legends.
    public var name: String {
        switch self {
        case .scratch: "from scratch"
        case .full: "full fine-tune"
        case let .lora(r): "LoRA r = \(r)"
        }
    }

    /// A short form for cache keys.
    var slug: String {
        switch self {
        case .scratch: "scratch"
        case .full: "full"
        case let .lora(r): "lora\(r)"
        }
    }
}

/// One fine-tuning run's settings.
public struct TunePlan: Sendable {
    /// Scratch, full or LoRA.
    public var method: TuneMethod
    /// Optimizer steps.
    public var steps: Int
    /// Windows per batch.
    public var batch: Int
    /// Peak learning rate; linear warmup over the first 5 % of steps, cosine to a tenth of it.
    public var learningRate: Float
    /// LoRA's α (ignored by the other methods).
    public var alpha: Float
    /// Share of each batch's windows taken from the original domain (0: new domain only).
    public var mixShare: Double
    /// Steps at which the new domain's validation loss is measured.
    public var evaluateAt: [Int]
    /// Validation batches per evaluation.
    public var validationBatches: Int
    /// Whether training windows start at the beginning of a new-domain document (for short
    /// documents such as question–answer items) instead of at any byte.
    public var alignToDocuments = false

    /// A plan with `evaluations` points spread on a log scale.
    public init(method: TuneMethod, steps: Int, batch: Int, learningRate: Float, alpha: Float = 8, mixShare: Double = 0,
                evaluations: Int, validationBatches: Int) {
        self.method = method
        self.steps = steps
        self.batch = batch
        self.learningRate = learningRate
        self.alpha = alpha
        self.mixShare = mixShare
        evaluateAt = logSpacedSteps(steps, count: evaluations)
        self.validationBatches = validationBatches
    }

    /// The plan of `method` under `settings` (rates by method; the mix share only where asked).
    public static func chapter(_ method: TuneMethod, _ s: TuneSettings, mix: Bool = false) -> TunePlan {
        let rate: Float = if case .lora = method { s.loraLearningRate } else { s.fullLearningRate }
        return TunePlan(method: method, steps: s.steps, batch: s.batch, learningRate: rate, alpha: s.loraAlpha,
                        mixShare: mix ? s.mixShare : 0, evaluations: s.evaluations, validationBatches: s.validationBatches)
    }

    /// The windows of each batch that come from the original domain.
    public var originalWindows: Int { Int((Double(batch) * mixShare).rounded()) }

    var key: String {
        "tune-\(method.slug)-s\(steps)-b\(batch)-lr\(learningRate)-a\(alpha)-mix\(originalWindows)-e\(evaluateAt.count)-v\(validationBatches)"
            + (alignToDocuments ? "-aligned" : "")
    }
}

/// What a fine-tuning run produced.
public struct TuneResult {
    /// The tuned model (eval mode; a LoRA model keeps its adapters unmerged).
    public let model: GPT
    /// The plan that produced it.
    public let plan: TunePlan
    /// Steps of the evaluations.
    public let steps: [Int]
    /// Validation loss on the new domain at those steps, bits per character.
    public let newBits: [Double]
    /// Validation loss on the original domain after the run, bits per character.
    public let originalBits: Double
    /// Parameters the optimizer updated.
    public let trainable: Int
    /// Whether the run came from the cache.
    public let cached: Bool
    /// The final new-domain loss.
    public var finalNewBits: Double { newBits[newBits.count - 1] }
}

/// Both domains' data, as the runs read them.
public struct TuneData {
    /// The new domain (recipes or questions).
    public let new: ByteCorpus
    /// The original domain (chapter 02's stories).
    public let original: ByteCorpus
    /// Names the data for cache keys.
    public let key: String

    /// Both domains and the name the cache keys use for them.
    public init(new: ByteCorpus, original: ByteCorpus, key: String) {
        self.new = new
        self.original = original
        self.key = key
    }
}

/// The model a run trains and the tensors its optimizer updates: a fresh GPT for `.scratch`, a copy
/// of `base` for `.full`, a copy with adapters (base frozen) for `.lora`.
func prepareModel(_ plan: TunePlan, base: GPT, seed: UInt64) -> (model: GPT, trainable: [Tensor]) {
    switch plan.method {
    case .scratch:
        let m = GPT(base.config, seed: seed)
        return (m, m.parameters)
    case .full:
        let m = base.copy()
        return (m, m.parameters)
    case let .lora(rank):
        let m = base.copy()
        return (m, m.attachLoRA(rank: rank, alpha: plan.alpha, seed: seed &+ 7))
    }
}

/// The optimizer loop of one run, a step at a time.
struct TuneLoop {
    let plan: TunePlan
    let model: GPT
    let trainable: [Tensor]
    let data: TuneData
    let optimizer: AdamW
    let schedule: LRSchedule
    var batchRNG: RNG

    init(_ plan: TunePlan, model: GPT, trainable: [Tensor], data: TuneData, seed: UInt64) {
        self.plan = plan
        self.model = model
        self.trainable = trainable
        self.data = data
        // Weight decay only on full runs: an adapter's decay would pull it towards B·A = 0 rather
        // than towards anything the task needs.
        optimizer = AdamW(trainable, lr: plan.learningRate, weightDecay: plan.method == .full || plan.method == .scratch ? 0.01 : 0)
        schedule = .warmupCosine(base: plan.learningRate, warmup: Swift.max(1, plan.steps / 20), total: plan.steps,
                                 minLR: plan.learningRate / 10)
        batchRNG = RNG(seed: seed &+ 11)
    }

    /// One step: a batch (the mixed share from the original domain), loss, backward, clip, AdamW.
    mutating func step(_ step: Int) throws {
        let context = model.config.context
        var b = plan.alignToDocuments
            ? data.new.alignedTrainingBatch(batch: plan.batch - plan.originalWindows, length: context, rng: &batchRNG)
            : data.new.trainingBatch(batch: plan.batch - plan.originalWindows, length: context, rng: &batchRNG)
        if plan.originalWindows > 0 {
            let o = data.original.trainingBatch(batch: plan.originalWindows, length: context, rng: &batchRNG)
            b.inputs += o.inputs
            b.targets += o.targets
        }
        optimizer.learningRate = schedule.lr(at: step)
        try trainingStep(model.loss(b.inputs, b.targets), optimizer: optimizer, step: step, clip: 1,
                         lossName: "fine-tuning loss (\(plan.method.name))")
    }
}

/// Runs `plan` from `base` (a pre-trained GPT, left untouched: the run works on a copy) or, for
/// `.scratch`, from a fresh GPT of the same shape. AdamW with warmup and cosine decay, clipping at
/// norm 1, weight decay 0.01 on full runs and none on adapters. Deterministic for a seed; a finished
/// run is stored in `cache` under a key naming the plan, the base (`baseKey`), the data and the seed.
public func fineTune(_ plan: TunePlan, base: GPT, baseKey: String, data: TuneData, seed: UInt64,
                     cache: TrainingCache) throws -> TuneResult {
    let (model, trainable) = prepareModel(plan, base: base, seed: seed)
    let count = trainable.reduce(0) { $0 + $1.count }
    let context = base.config.context
    let newValidation = data.new.validationBatches(count: plan.validationBatches, batch: plan.batch, length: context)
    let originalValidation = data.original.validationBatches(count: plan.validationBatches, batch: plan.batch, length: context)
    let key = plan.key + "-" + (plan.method == .scratch ? "none" : baseKey) + "-" + data.key + "-seed\(seed)"
    func f32(_ x: Double) -> Double { Double(Float(x)) }

    if let series = cache.restore(model, key: key), let steps = series["step"], steps.map({ Int($0) }) == plan.evaluateAt,
       let bits = series["new"], bits.count == steps.count, let original = series["original"], original.count == 1 {
        model.eval()
        return TuneResult(model: model, plan: plan, steps: plan.evaluateAt, newBits: bits.map(Double.init),
                          originalBits: Double(original[0]), trainable: count, cached: true)
    }

    var loop = TuneLoop(plan, model: model, trainable: trainable, data: data, seed: seed)
    let evalSet = Set(plan.evaluateAt)
    var newBits: [Double] = []
    if evalSet.contains(0) { newBits.append(f32(evaluateBits(model, newValidation))) }
    model.train()
    for step in 0..<plan.steps {
        try loop.step(step)
        if evalSet.contains(step + 1) { newBits.append(f32(evaluateBits(model, newValidation))) }
    }
    model.eval()
    let originalBits = f32(evaluateBits(model, originalValidation))
    cache.store(model, key: key, series: ["step": plan.evaluateAt.map(Float.init), "new": newBits.map(Float.init),
                                          "original": [Float(originalBits)]])
    return TuneResult(model: model, plan: plan, steps: plan.evaluateAt, newBits: newBits, originalBits: originalBits,
                      trainable: count, cached: false)
}

/// Wall-clock seconds per optimizer step of `plan` (median of `steps` timed steps after one
/// warm-up step), on a throw-away copy. Machine-dependent: report it, never test it.
public func secondsPerStep(_ plan: TunePlan, base: GPT, data: TuneData, steps: Int = 5) throws -> Double {
    let (model, trainable) = prepareModel(plan, base: base, seed: 99)
    var loop = TuneLoop(plan, model: model, trainable: trainable, data: data, seed: 99)
    model.train()
    try loop.step(0)
    var times: [Double] = []
    for i in 1...steps {
        let start = ContinuousClock.now
        try loop.step(i)
        let d = ContinuousClock.now - start
        times.append(Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }
    return times.sorted()[times.count / 2]
}
