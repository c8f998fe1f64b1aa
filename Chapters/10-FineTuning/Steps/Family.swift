import Ch02Attention
import Datasets
import Engine
import Models

/// One member of the size family, pre-trained on stories and fine-tuned on recipes.
public struct FamilyMember {
    /// The member's shape.
    public let config: GPTConfig
    /// Non-embedding parameters (the N of chapter 04).
    public var parameters: Int { config.nonEmbeddingParameters }
    /// Story validation loss after pre-training, bits per character.
    public let pretrainedStoryBits: Double
    /// The full fine-tune on recipes.
    public let tuned: TuneResult

    /// A member from its pre-training result and its fine-tune.
    public init(config: GPTConfig, pretrainedStoryBits: Double, tuned: TuneResult) {
        self.config = config
        self.pretrainedStoryBits = pretrainedStoryBits
        self.tuned = tuned
    }

    /// The first evaluated step at which the recipe loss is at or below `target`, or nil.
    public func stepsTo(_ target: Double) -> Int? {
        zip(tuned.steps, tuned.newBits).first { $0.1 <= target }?.0
    }
}

/// Pre-trains a smaller story GPT with chapter 02's recipe (batch, context, warmup and decay),
/// a learning rate scaled as 1/width from chapter 02's 3·10⁻³ at width 128 (narrow models take
/// larger steps), through `cache`.
public func pretrainFamilyMember(width: Int, layers: Int, quick: Bool, steps: Int, seed: UInt64, data: ByteCorpus,
                                 cache: TrainingCache) throws -> PretrainResult {
    let reference = ChapterRun.pretraining(quick: quick)
    var model = reference.model
    model.width = width
    model.layers = layers
    let config = PretrainConfig(model: model, batch: reference.batch, steps: steps,
                                learningRate: reference.learningRate * Float(reference.model.width) / Float(width),
                                warmup: Swift.max(1, steps / 20), minLR: reference.minLR, evaluations: 6, samples: 2,
                                validationBatches: reference.validationBatches)
    let docs = ChapterRun.documents(quick: quick)
    return try pretrain(config, data: data, samplePrompt: ChapterRun.samplePrompt, sampleLength: 40, seed: seed,
                        cache: cache, dataKey: "stories\(docs.train)+\(docs.validation)-seed\(seed)")
}
