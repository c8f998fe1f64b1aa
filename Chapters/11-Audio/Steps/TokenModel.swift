import Audio
import Datasets
import Engine
import Foundation
import Models

/// The AudioLM-style half: a codec that turns audio into tokens and back, and a GPT over them.
public struct TokenRecipe: Sendable {
    /// Codebook size (the frame codes).
    public var codes: Int
    /// Runs of one code up to this many frames are one token. The chapter uses 1 (one token per
    /// frame): at its frame rate runs are short, so folding them gains little.
    public var maxRun: Int
    /// Samples between token frames (the frame is twice as long, as the grain codec needs).
    public var hop: Int
    /// Mel bands of the token frames' log-mel vectors.
    public var bands: Int
    /// The GPT's sizes (its vocabulary is codes · maxRun).
    public var config: GPTConfig
    /// Optimiser steps and sequences per batch.
    public var steps: Int
    public var batch: Int
    /// Peak learning rate.
    public var learningRate: Float
    /// Seed of the codebook, weights and batches.
    public var seed: UInt64
    /// Utterances tokenised for training.
    public var utterances: Int
    /// The first this many of them fit the k-means codebook and supply the grains.
    public var codebookClips: Int

    /// The chapter's recipe for `settings` and `seed`.
    public init(_ settings: AudioSettings, seed: UInt64) {
        codes = settings.codes
        maxRun = 1
        hop = settings.tokenHop
        bands = settings.tokenBands
        config = GPTConfig(vocab: codes * maxRun, context: 1, width: settings.lmWidth, heads: 4, layers: settings.lmLayers)
        steps = settings.lmSteps
        batch = settings.lmBatch
        learningRate = 3e-3
        self.seed = seed &+ 1200
        utterances = settings.tokenUtterances
        codebookClips = min(300, settings.tokenUtterances)
        // The context holds a whole clip's tokens but the last (each clip is one training sequence).
        config.context = frontEnd.frames(samples: AudioSetup.spec.clipSamples) - 1
    }

    /// The token frames' front end: log-mel over windows of 2·hop samples every hop samples.
    public var frontEnd: LogMelFrontEnd {
        var fft = 1
        while fft < 2 * hop { fft *= 2 }
        return LogMelFrontEnd(stft: STFTConfig(sampleRate: AudioSetup.sampleRate, window: 2 * hop, hop: hop, fftSize: fft), bands: bands)
    }

    /// The fold from frame codes to the GPT's tokens.
    public var fold: RunLengthTokens { RunLengthTokens(codes: codes, maxRun: maxRun) }

    /// Everything that changes the trained weights.
    public var key: String { "tokenlm-k\(codes)-h\(hop)-m\(bands)-r\(maxRun)-c\(codebookClips)-\(config)-s\(steps)-b\(batch)-lr\(learningRate)-seed\(seed)-n\(utterances)" }
}

/// Fits the codec's codebook (k-means on the log-mel frames of the first `recipe.codebookClips`
/// of `clips`) and picks each code's grain from all of `clips`: the more frames to choose from,
/// the closer the chosen frame sits to its centre.
public func fitCodec(_ recipe: TokenRecipe, clips: [[Float]], iterations: Int = 12) -> GrainCodec {
    let fe = recipe.frontEnd
    var frames: [[Float]] = []
    for c in clips.prefix(recipe.codebookClips) { frames += fe(c) }
    var rng = RNG(seed: recipe.seed)
    let km = KMeans(points: frames, k: recipe.codes, iterations: iterations, rng: &rng)
    return GrainCodec(frontEnd: fe, codebook: km, clips: clips)
}

/// Trains (or restores) the token GPT on token sequences, one per clip, all `context + 1` long:
/// a position in the sequence is a time in the clip, so the model can learn where speech ends.
public func trainTokenLM(_ recipe: TokenRecipe, sequences: [[Int]], cache: TrainingCache,
                         onStep: (Int) -> Void = { _ in }) throws -> (model: GPT, losses: [Float], cached: Bool) {
    precondition(!sequences.isEmpty && sequences.allSatisfy { $0.count == recipe.config.context + 1 },
                 "token sequences must be \(recipe.config.context + 1) tokens long")
    var rng = RNG(seed: recipe.seed &+ 1)
    let model = GPT(recipe.config, rng: &rng)
    let (losses, cached) = try cache.trained(model, key: recipe.key) {
        try trainSteps(model, steps: recipe.steps, batch: recipe.batch, learningRate: recipe.learningRate, count: sequences.count,
                       rng: &rng, label: "token LM loss", onStep: onStep) { idx in
            model.loss(idx.map { Array(sequences[$0].dropLast()) }, idx.map { Array(sequences[$0].dropFirst()) })
        }
    }
    model.eval()
    return (model, losses, cached)
}

/// Entropy (nats) of the token unigram distribution: the loss of a model that ignores context.
public func unigramEntropy(_ sequences: [[Int]], codes: Int) -> Double {
    var counts = [Double](repeating: 0, count: codes)
    for s in sequences { for t in s { counts[t] += 1 } }
    let total = counts.reduce(0, +)
    return -counts.filter { $0 > 0 }.map { $0 / total * log($0 / total) }.reduce(0, +)
}

/// A waveform of tokens placed in a recogniser-length clip, with background noise at `snrDB`
/// relative to its own power (what every recogniser input has).
public func clipForRecognizer(_ samples: [Float], clipSamples: Int, snrDB: Double, rng: inout RNG) -> [Float] {
    var out = [Float](repeating: 0, count: clipSamples)
    for i in 0..<min(clipSamples, samples.count) { out[i] = samples[i] }
    // Speech power over the louder samples (a pause-robust estimate: frames above 10 % of the peak RMS).
    let active = samples.filter { abs($0) > 0.02 }
    let power = active.isEmpty ? 1e-6 : active.map { Double($0 * $0) }.reduce(0, +) / Double(active.count)
    let noiseStd = (power / pow(10, snrDB / 10)).squareRoot()
    return out.map { $0 + Float(noiseStd * Double(rng.normal())) }
}

/// How many words of recognised transcripts are words of the language, and how many of those
/// the recogniser was sure of.
///
/// The recogniser's decoder is itself a language model of the 12 words, so it tends to write
/// valid words even for sound that holds none (random tokens). A word counts as *confidently
/// valid* only when it is in the vocabulary and the recogniser gave each of its characters and
/// the space after it a probability of at least `threshold`.
public struct WordValidity: Sendable {
    /// Recognised words in total, how many are in the vocabulary, and how many of those were
    /// recognised confidently.
    public var words: Int
    public var valid: Int
    public var confident: Int
    /// valid / words (0 when nothing was recognised).
    public var share: Double { words == 0 ? 0 : Double(valid) / Double(words) }
    /// confident / words (0 when nothing was recognised).
    public var confidentShare: Double { words == 0 ? 0 : Double(confident) / Double(words) }

    /// Counts over transcripts with per-word confidences (as `transcribeWithConfidence` gives).
    public init(_ transcripts: [(text: String, wordConfidence: [Float])], threshold: Float = 0.9) {
        words = 0; valid = 0; confident = 0
        for t in transcripts {
            let ws = t.text.split(separator: " ").map(String.init)
            precondition(ws.count == t.wordConfidence.count, "one confidence per word")
            for (w, c) in zip(ws, t.wordConfidence) {
                words += 1
                if SpeechVocabulary.contains(w) {
                    valid += 1
                    if c >= threshold { confident += 1 }
                }
            }
        }
    }

    /// Counts over plain transcripts (every valid word taken as confident).
    public init(_ transcripts: [String]) {
        self.init(transcripts.map { t in (t, [Float](repeating: 1, count: t.split(separator: " ").count)) })
    }
}
