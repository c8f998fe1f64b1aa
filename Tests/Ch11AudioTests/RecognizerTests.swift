import Audio
import Ch11Audio
import Datasets
import Engine
import Foundation
import Models
import Testing

/// The recogniser learns: a small one trained for a few seconds on one-word clips transcribes
/// held-out voices far better than chance, and the training cache gives back the same model.
struct RecognizerTests {
    /// One-second clips of a single word: 12 equally likely words, so guessing one word for
    /// every clip has a WER of about 11/12 ≈ 92 %.
    static let spec: UtteranceSpec = {
        var s = UtteranceSpec()
        s.clipSamples = 8000
        s.wordCount = 1...1
        return s
    }()

    static func recipe(frames: Int, steps: Int) -> RecognizerRecipe {
        var r = RecognizerRecipe(.quick, seed: 5, frames: frames)
        r.config = RecognizerConfig(melBands: AudioSetup.melBands, frames: frames, stemChannels: 8, width: 32, heads: 2,
                                    encoderLayers: 1, decoderLayers: 1, vocab: TranscriptAlphabet().count, context: 8)
        r.steps = steps
        r.batch = 16
        r.learningRate = 3e-3
        r.trainCount = 400
        return r
    }

    @Test func quickRecognizerBeatsChanceOnHeldOutVoices() throws {
        let train = SpeechSet(0..<400, seed: 21, speakers: AudioSetup.trainingVoices(seed: 5), spec: Self.spec)
        let test = SpeechSet(0..<60, seed: 22, speakers: AudioSetup.heldOutVoices(seed: 5), spec: Self.spec.at(snrDB: 20))
        let trained = try trainRecognizer(Self.recipe(frames: train.frames, steps: 200), train: train, cache: TrainingCache(folder: nil, fresh: true))
        let result = evaluate(trained.model, on: test)
        let guess = SpeechVocabulary.words.map { constantGuessWER(references: test.texts, guess: $0) }.min()!
        #expect(guess > 0.8)
        // Chance is ~0.92; a model that learned nothing about the audio cannot get below the
        // best constant guess. The bound leaves room for seed-to-seed variation of a 200-step run.
        #expect(result.wer < 0.5, "WER \(result.wer), best constant guess \(guess)")
        let last: Float = trained.losses.suffix(20).reduce(0, +) / 20
        let first: Float = trained.losses.prefix(20).reduce(0, +) / 20
        #expect(last < 0.5 * first)
    }

    @Test func cachedRecognizerIsBitIdentical() throws {
        let folder = NSTemporaryDirectory() + "ch11-cache-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let train = SpeechSet(0..<40, seed: 23, speakers: AudioSetup.trainingVoices(seed: 5), spec: Self.spec)
        let recipe = Self.recipe(frames: train.frames, steps: 3)
        let fresh = try trainRecognizer(recipe, train: train, cache: TrainingCache(folder: folder, fresh: false))
        let again = try trainRecognizer(recipe, train: train, cache: TrainingCache(folder: folder, fresh: false))
        #expect(!fresh.cached && again.cached)
        #expect(fresh.losses == again.losses)
        for (a, b) in zip(fresh.model.parameters, again.model.parameters) { #expect(a.values == b.values) }
    }
}
