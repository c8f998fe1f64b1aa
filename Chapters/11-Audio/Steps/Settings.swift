/// The sizes of one run of the chapter: `quick` for a smoke run, `full` for the committed figures.
public struct AudioSettings: Sendable {
    /// Training utterances for the recogniser (said by the training speakers).
    public var trainUtterances: Int
    /// Held-out utterances (said by speakers never heard in training), per noise level.
    public var testUtterances: Int
    /// Recogniser optimiser steps and clips per batch.
    public var recognizerSteps: Int
    public var recognizerBatch: Int
    /// Utterances whose frames fit the k-means codebook and train the token GPT.
    public var tokenUtterances: Int
    /// Token GPT optimiser steps and sequences per batch.
    public var lmSteps: Int
    public var lmBatch: Int
    /// Token GPT sizes: layers and width (its context is one clip).
    public var lmLayers: Int
    public var lmWidth: Int
    /// Token frames: codebook size and samples between frames.
    public var codes: Int
    public var tokenHop: Int
    /// Mel bands of the log-mel vectors the codes are fitted to.
    public var tokenBands: Int
    /// Prompts continued by the token GPT.
    public var continuations: Int

    /// The smoke run (well under a minute).
    public static let quick = AudioSettings(trainUtterances: 400, testUtterances: 60, recognizerSteps: 120, recognizerBatch: 16,
                                            tokenUtterances: 200, lmSteps: 60, lmBatch: 8,
                                            lmLayers: 2, lmWidth: 64, codes: 64, tokenHop: 320, tokenBands: 16, continuations: 8)

    /// The full run behind the committed figures.
    public static let full = AudioSettings(trainUtterances: 3000, testUtterances: 300, recognizerSteps: 1200, recognizerBatch: 32,
                                           tokenUtterances: 8000, lmSteps: 4000, lmBatch: 16,
                                           lmLayers: 2, lmWidth: 64, codes: 64, tokenHop: 320, tokenBands: 16, continuations: 60)
}
