/// The sizes of one run of the chapter: `quick` for a smoke run, `full` for the committed figures.
public struct MultimodalSettings: Sendable {
    /// Training scenes (none with a held-out kind–colour pair).
    public var trainCount: Int
    /// Held-out scenes of seen combinations (retrieval, captioning, VQA).
    public var testCount: Int
    /// Held-out single-shape scenes for zero-shot classification, per split (seen / held-out pairs).
    public var zeroShotCount: Int
    /// Contrastive training: steps and pairs per batch.
    public var alignSteps: Int
    public var alignBatch: Int
    /// Captioning: steps and images per batch.
    public var captionSteps: Int
    public var captionBatch: Int
    /// Captions generated for evaluation.
    public var captionEval: Int
    /// Question answering: steps and questions per batch.
    public var vqaSteps: Int
    public var vqaBatch: Int
    /// Steps of the image-only baseline (a small classifier on frozen image embeddings).
    public var imageOnlySteps: Int

    /// The smoke run (well under a minute).
    public static let quick = MultimodalSettings(
        trainCount: 1500, testCount: 200, zeroShotCount: 120, alignSteps: 250, alignBatch: 48,
        captionSteps: 120, captionBatch: 32, captionEval: 60, vqaSteps: 60, vqaBatch: 32, imageOnlySteps: 60)

    /// The full run behind the committed figures.
    public static let full = MultimodalSettings(
        trainCount: 8000, testCount: 500, zeroShotCount: 400, alignSteps: 1500, alignBatch: 64,
        captionSteps: 600, captionBatch: 48, captionEval: 300, vqaSteps: 1500, vqaBatch: 64, imageOnlySteps: 400)
}
