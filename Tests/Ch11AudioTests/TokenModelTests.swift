import Audio
import Ch11Audio
import Datasets
import Engine
import Foundation
import Models
import Testing

/// The token side: entropy baseline, the mixing of decoded audio with noise, and a codec fitted
/// on speech that keeps steady sounds steady.
struct TokenModelTests {
    @Test func unigramEntropyMatchesHandValues() {
        #expect(abs(unigramEntropy([[0, 1], [1, 0]], codes: 4) - log(2)) < 1e-12)
        #expect(unigramEntropy([[3, 3, 3]], codes: 4) == 0)
        // Frequencies 1/2, 1/4, 1/4: H = 1.5 ln 2.
        #expect(abs(unigramEntropy([[0, 0, 1, 2]], codes: 3) - 1.5 * log(2)) < 1e-12)
    }

    /// The noise added to decoded audio has the requested power relative to the signal.
    @Test func mixingAddsNoiseAtTheRequestedLevel() {
        var rng = RNG(seed: 3)
        let tone = (0..<16000).map { Float(0.2 * sin(Double($0) * 0.3)) }
        let mixed = clipForRecognizer(tone, clipSamples: 24000, snrDB: 10, rng: &rng)
        #expect(mixed.count == 24000)
        let tail = mixed[16000...].map { Double($0 * $0) }.reduce(0, +) / 8000
        let active = tone.filter { abs($0) > 0.02 }.map { Double($0 * $0) }.reduce(0, +) / Double(tone.filter { abs($0) > 0.02 }.count)
        // Noise power estimated from 8,000 samples: ±5 % covers 3 standard errors (√(2/8000) ≈ 1.6 %).
        #expect(abs(tail / (active / 10) - 1) < 0.05)
    }

    /// On real speech the codebook has no empty code and its round trip keeps most of the
    /// log-mel detail: the mean squared error of the codes is well under the frames' variance.
    @Test func speechCodecCapturesMostOfTheVariance() {
        let clips = SpeechCorpus.utterances(0..<30, seed: 4, speakers: AudioSetup.trainingVoices(seed: 1)).map(\.samples)
        var recipe = TokenRecipe(.quick, seed: 1)
        recipe.codes = 16
        let codec = fitCodec(recipe, clips: clips, iterations: 8)
        let fe = recipe.frontEnd
        var frames: [[Float]] = []
        for c in clips { frames += fe(c) }
        let tokens = codec.codebook.assign(frames)
        #expect(Set(tokens).count == 16)
        let dim = frames[0].count
        let mean = (0..<dim).map { j in frames.map { Double($0[j]) }.reduce(0, +) / Double(frames.count) }
        var variance = 0.0, error = 0.0
        for (f, t) in zip(frames, tokens) {
            let c = codec.codebook.centre(t)
            for j in 0..<dim { variance += pow(Double(f[j]) - mean[j], 2); error += pow(Double(f[j] - c[j]), 2) }
        }
        #expect(error < 0.35 * variance, "codes keep \(1 - error / variance) of the variance")
        #expect(codec.grains.allSatisfy { $0.count == 2 * recipe.hop })
    }

    /// A continuation stands for exactly the frames asked for, whatever the run lengths sampled,
    /// and random frames too; with maxRun 1 every GPT token is one frame.
    @Test func continuationsFillExactlyTheRequestedFrames() {
        var rng = RNG(seed: 9)
        for maxRun in [1, 4] {
            let fold = RunLengthTokens(codes: 8, maxRun: maxRun)
            let lm = GPT(GPTConfig(vocab: fold.vocabulary, context: 16, width: 16, heads: 2, layers: 1), rng: &rng)
            lm.eval()
            let prompt = [1, 1, 1, 2, 5, 5]
            for frames in [1, 7, 30] {
                let c = continueFrames(lm, fold: fold, prompt: prompt, frames: frames, rule: .sample(temperature: 1, topK: nil), rng: &rng)
                #expect(c.frames.count == frames)
                #expect(Array(c.tokens.prefix(c.promptTokens)) == fold.fold(prompt))
                #expect(fold.frames(Array(c.tokens.dropFirst(c.promptTokens))) >= frames)
                if maxRun == 1 { #expect(c.tokens.count == prompt.count + frames) }
                #expect(randomFrames(fold: fold, frames: frames, rng: &rng).count == frames)
            }
        }
    }
}
