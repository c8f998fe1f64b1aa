/// The sizes chapter 10 trains at: a full run (minutes on two cores, cached afterwards) and a quick
/// one (seconds, for `--quick` and the tests).
public struct TuneSettings: Sendable {
    /// Recipe documents for training and validation.
    public var recipeDocuments: (train: Int, validation: Int)
    /// Optimizer steps of every fine-tuning run (equal for every method, as the comparison needs).
    public var steps: Int
    /// Windows per batch.
    public var batch: Int
    /// Evaluation points per run (spread on a log scale).
    public var evaluations: Int
    /// Validation batches per evaluation.
    public var validationBatches: Int
    /// Peak learning rate of full fine-tuning and of training from scratch.
    public var fullLearningRate: Float
    /// Peak learning rate of the adapters.
    public var loraLearningRate: Float
    /// LoRA's α (the update is scaled by α / r).
    public var loraAlpha: Float
    /// Ranks compared.
    public var ranks: [Int]
    /// The rank the chapter's headline numbers use.
    public var headlineRank: Int
    /// Share of each batch taken from the original (story) domain in the "mixed" run.
    public var mixShare: Double
    /// Question items for instruction tuning and for the held-out test.
    public var questions: (train: Int, test: Int)

    /// Widths and layer counts of the size family (the last is chapter 02's model).
    public var family: [(width: Int, layers: Int)]
    /// Pre-training steps of the family's smaller members (chapter 02's schedule otherwise).
    public var familyPretrainSteps: Int
    /// Optimizer steps of instruction tuning (a skill, not a style: it needs more than the domain runs).
    public var questionSteps: Int = 900
    /// Images of the new visual concept (at most 16, as the "handful").
    public var conceptImages: Int = 16
    /// How the text-to-image model is taught the concept.
    public var concept: ConceptTuning = ConceptTuning(rank: 4, alpha: 8, steps: 600, batch: 32, learningRate: 3e-3, priorShare: 0.5)
    /// Steps of fine-tuning the VAE's decoder on the new colour (batch 32, half old scenes).
    public var decoderSteps: Int = 400
    /// Samples per prompt when measuring the concept and the old prompts.
    public var conceptSamplesPerPrompt: Int = 8
    /// Guidance scale of those samples (this course's convention: 1 is plain conditional).
    public var conceptGuidance: Float = 7.5

    /// The full run.
    public static let full = TuneSettings(
        recipeDocuments: (4000, 200), steps: 300, batch: 16, evaluations: 12, validationBatches: 4,
        fullLearningRate: 1e-3, loraLearningRate: 4e-3, loraAlpha: 8, ranks: [1, 2, 4, 8, 16], headlineRank: 4,
        mixShare: 0.25, questions: (4000, 200), family: [(32, 2), (64, 2), (128, 4)], familyPretrainSteps: 1200)

    /// The quick run.
    public static let quick = TuneSettings(
        recipeDocuments: (300, 40), steps: 40, batch: 8, evaluations: 5, validationBatches: 2,
        fullLearningRate: 3e-3, loraLearningRate: 1e-2, loraAlpha: 8, ranks: [1, 4, 16], headlineRank: 4,
        mixShare: 0.25, questions: (300, 40), family: [(16, 2), (32, 2)], familyPretrainSteps: 300,
        questionSteps: 40, conceptImages: 8, concept: ConceptTuning(rank: 2, alpha: 2, steps: 6, batch: 8, learningRate: 1e-3, priorShare: 0.5),
        decoderSteps: 4,
        conceptSamplesPerPrompt: 2)

    /// `quick` or `full`.
    public static func pick(quick: Bool) -> TuneSettings { quick ? .quick : .full }
}
