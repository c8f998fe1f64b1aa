import Audio
import Datasets
import Engine
import Foundation
import Models

/// How the recogniser is built and trained; `key` names all of it for the cache.
public struct RecognizerRecipe: Sendable {
    /// The model's sizes.
    public var config: RecognizerConfig
    /// Optimiser steps and clips per batch.
    public var steps: Int
    public var batch: Int
    /// Peak learning rate (warmup, then cosine decay to a tenth).
    public var learningRate: Float
    /// Seed of the weights and the batch order.
    public var seed: UInt64
    /// Training utterances (the data seed is `seed`'s stream too).
    public var trainCount: Int

    /// The chapter's recipe for `settings` and `seed`, for clips of `frames` frames.
    public init(_ settings: AudioSettings, seed: UInt64, frames: Int) {
        config = RecognizerConfig(melBands: AudioSetup.melBands, frames: frames, stemChannels: 16, width: 64, heads: 4,
                                  encoderLayers: 2, decoderLayers: 2, vocab: TranscriptAlphabet().count, context: 32)
        steps = settings.recognizerSteps
        batch = settings.recognizerBatch
        learningRate = 2e-3
        self.seed = seed &+ 1100
        trainCount = settings.trainUtterances
    }

    /// Everything that changes the trained weights.
    public var key: String {
        "recognizer-\(config)-s\(steps)-b\(batch)-lr\(learningRate)-seed\(seed)-n\(trainCount)-\(AudioSetup.spec.snrDB)"
    }
}

/// Teacher-forcing rows for transcripts: inputs start with the start marker, targets end with
/// the end marker, both padded to `length` (inputs with `end`, targets with -1, which the loss
/// skips).
public func transcriptRows(_ texts: [String], length: Int) -> (inputs: [[Int]], targets: [[Int]]) {
    let alphabet = TranscriptAlphabet()
    var inputs: [[Int]] = [], targets: [[Int]] = []
    for text in texts {
        let ids = alphabet.encode(text) ?? []
        precondition(ids.count + 1 <= length, "transcript \"\(text)\" is longer than the decoder context \(length)")
        let inp = [alphabet.start] + ids, tgt = ids + [alphabet.end]
        inputs.append(inp + [Int](repeating: alphabet.end, count: length - inp.count))
        targets.append(tgt + [Int](repeating: -1, count: length - tgt.count))
    }
    return (inputs, targets)
}

/// Trains (or restores from `cache`) the recogniser on `train`. `onStep` is called after every
/// step (progress). Returns the model and the loss per step.
public func trainRecognizer(_ recipe: RecognizerRecipe, train: SpeechSet, cache: TrainingCache,
                            onStep: (Int) -> Void = { _ in }) throws -> (model: SpeechRecognizer, losses: [Float], cached: Bool) {
    var rng = RNG(seed: recipe.seed)
    let model = SpeechRecognizer(recipe.config, rng: &rng)
    // The longest transcript plus a marker; every batch is padded to the same length.
    let length = min(recipe.config.context, (train.texts.map(\.count).max() ?? 0) + 1)
    let (losses, cached) = try cache.trained(model, key: recipe.key) {
        try trainSteps(model, steps: recipe.steps, batch: recipe.batch, learningRate: recipe.learningRate, count: train.count,
                       rng: &rng, label: "recogniser loss", onStep: onStep) { idx in
            let rows = transcriptRows(idx.map { train.texts[$0] }, length: length)
            return model.loss(mel: train.batch(idx), inputs: rows.inputs, targets: rows.targets, ignore: -1)
        }
    }
    model.eval()
    return (model, losses, cached)
}

/// What a recogniser made of a set: its transcripts and their error rates.
public struct RecognitionResult: Sendable {
    /// The reference transcripts.
    public let references: [String]
    /// The recognised transcripts.
    public let hypotheses: [String]
    /// Word and character error rates over the set.
    public var wer: Double { ErrorRates.wordErrorRate(references: references, hypotheses: hypotheses) }
    public var cer: Double { ErrorRates.characterErrorRate(references: references, hypotheses: hypotheses) }

    /// A result from paired transcripts.
    public init(references: [String], hypotheses: [String]) {
        self.references = references
        self.hypotheses = hypotheses
    }
}

/// Greedy transcripts of spectrogram images (band-major, `frames` wide), in batches.
public func transcribe(_ model: SpeechRecognizer, mels: [[Float]], batch: Int = 50) -> [String] {
    let alphabet = TranscriptAlphabet()
    var out: [String] = []
    var s = 0
    while s < mels.count {
        let e = min(mels.count, s + batch)
        let x = Tensor(shape: [e - s, 1, model.config.melBands, model.config.frames], values: mels[s..<e].flatMap { $0 })
        out += model.transcribe(x, start: alphabet.start, end: alphabet.end).map(alphabet.decode)
        s = e
    }
    return out
}

/// Greedy transcripts with, per recognised word, the lowest probability the recogniser gave any
/// of its characters or the space (or end marker) after it.
public func transcribeWithConfidence(_ model: SpeechRecognizer, mels: [[Float]], batch: Int = 50) -> [(text: String, wordConfidence: [Float])] {
    let alphabet = TranscriptAlphabet()
    var out: [(text: String, wordConfidence: [Float])] = []
    var s = 0
    while s < mels.count {
        let e = min(mels.count, s + batch)
        let x = Tensor(shape: [e - s, 1, model.config.melBands, model.config.frames], values: mels[s..<e].flatMap { $0 })
        for r in model.transcribeWithConfidence(x, start: alphabet.start, end: alphabet.end) {
            let text = alphabet.decode(r.tokens)
            // Walk the tokens, not the text: a marker emitted mid-transcript is not in the text but
            // has a probability. A transcript cut off by the decoder's context has no end marker:
            // its last word was never closed, so it gets confidence 0.
            var conf: [Float] = [], current: Float = 1, inWord = false
            for (i, id) in r.tokens.enumerated() {
                if id < SpeechVocabulary.characters.count && SpeechVocabulary.characters[id] == " " {
                    if inWord { conf.append(min(current, r.probabilities[i])) }
                    current = 1; inWord = false
                } else {
                    current = min(current, r.probabilities[i])
                    if id < SpeechVocabulary.characters.count { inWord = true }
                }
            }
            if inWord { conf.append(r.tokens.count < r.probabilities.count ? min(current, r.probabilities[r.tokens.count]) : 0) }
            out.append((text, conf))
        }
        s = e
    }
    return out
}

/// Transcribes `set` and scores it.
public func evaluate(_ model: SpeechRecognizer, on set: SpeechSet) -> RecognitionResult {
    RecognitionResult(references: set.texts, hypotheses: transcribe(model, mels: set.mels))
}

/// The WER of guessing: every transcript replaced by the most common training length of the most
/// common word ("ka ka ka"), the best constant answer is no better than this order of error.
public func constantGuessWER(references: [String], guess: String) -> Double {
    ErrorRates.wordErrorRate(references: references, hypotheses: references.map { _ in guess })
}
