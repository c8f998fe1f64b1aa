import Engine
import Foundation

/// One spoken sentence of the synthetic language: a fixed-length clip and its transcript.
public struct Utterance: Sendable {
    /// Word ids into `SpeechVocabulary.words`.
    public var words: [Int]
    /// The samples (speech plus background noise), `clipSamples` long.
    public var samples: [Float]
    /// Where each word starts and ends in `samples`.
    public var wordSpans: [Range<Int>]
    /// Who said it.
    public var speaker: Speaker
    /// Speech-to-noise ratio in dB: 10·log₁₀(mean speech power / noise power), with the speech
    /// power measured over the words only (not the pauses).
    public var snrDB: Double

    /// The transcript, words separated by single spaces.
    public var text: String { words.map { SpeechVocabulary.words[$0] }.joined(separator: " ") }
}

/// How utterances are drawn.
public struct UtteranceSpec: Sendable, Equatable {
    /// Samples per second.
    public var sampleRate: Int = 8000
    /// Every clip has exactly this many samples (speech, then background noise to the end).
    public var clipSamples: Int = 25_600
    /// Fewest and most words.
    public var wordCount: ClosedRange<Int> = 1...5
    /// Speech-to-noise ratio range in dB; each utterance draws uniformly from it.
    public var snrDB: ClosedRange<Double> = 15...25
    /// Silence before the first word and between words (seconds).
    public var lead: ClosedRange<Double> = 0.05...0.2
    public var gap: ClosedRange<Double> = 0.06...0.16

    /// The defaults: 8 kHz, 3.2 s clips, 1–5 words, 15–25 dB SNR.
    public init() {}

    /// The same spec at a single noise level.
    public func at(snrDB level: Double) -> UtteranceSpec {
        var s = self
        s.snrDB = level...level
        return s
    }
}

/// Synthetic speech: seeded utterances said by a pool of speakers.
public enum SpeechCorpus {
    /// Utterance number `index` of the stream `seed`, said by one of `speakers`: everything about
    /// it (words, voice, pauses, noise) comes from its own generator, so any utterance can be
    /// made alone and in any order, and a data set is just a range of indices.
    public static func utterance(_ index: Int, seed: UInt64, speakers: [Speaker], spec: UtteranceSpec = UtteranceSpec()) -> Utterance {
        var rng = RNG(seed: seed &+ 0x5851_F42D_4C95_7F2D &* UInt64(index + 1))
        let synth = Synthesizer(sampleRate: spec.sampleRate)
        let fs = Double(spec.sampleRate)
        let speaker = speakers[rng.int(speakers.count)]
        let snr = spec.snrDB.lowerBound + (spec.snrDB.upperBound - spec.snrDB.lowerBound) * Double(rng.uniform())
        func draw(_ r: ClosedRange<Double>) -> Int { Int(((r.lowerBound + (r.upperBound - r.lowerBound) * Double(rng.uniform())) * fs).rounded()) }
        // Draw words until they fit (rare redraws for five long words said slowly).
        while true {
            let n = spec.wordCount.lowerBound + rng.int(spec.wordCount.count)
            let words = (0..<n).map { _ in rng.int(SpeechVocabulary.words.count) }
            var clean = [Double](repeating: 0, count: spec.clipSamples)
            var spans: [Range<Int>] = []
            var at = draw(spec.lead)
            var fits = true
            for (i, w) in words.enumerated() {
                // The vocabulary's letters all have sounds, so this cannot throw.
                let wave = (try? synth.render(word: SpeechVocabulary.words[w], speaker: speaker, rng: &rng)) ?? []
                if at + wave.count > spec.clipSamples { fits = false; break }
                for j in 0..<wave.count { clean[at + j] = wave[j] }
                spans.append(at..<(at + wave.count))
                at += wave.count
                if i < n - 1 { at += draw(spec.gap) }
            }
            guard fits else { continue }
            var speechPower = 0.0, speechCount = 0
            for s in spans { for j in s { speechPower += clean[j] * clean[j] }; speechCount += s.count }
            speechPower /= Double(Swift.max(speechCount, 1))
            let noiseStd = (speechPower / pow(10, snr / 10)).squareRoot()
            let samples = clean.map { Float($0 + noiseStd * Double(rng.normal())) }
            return Utterance(words: words, samples: samples, wordSpans: spans, speaker: speaker, snrDB: snr)
        }
    }

    /// Utterances `range` of stream `seed`.
    public static func utterances(_ range: Range<Int>, seed: UInt64, speakers: [Speaker], spec: UtteranceSpec = UtteranceSpec()) -> [Utterance] {
        var out = [Utterance?](repeating: nil, count: range.count)
        out.withUnsafeMutableBufferPointer { buf in
            let buf = buf
            Parallel.forRanges(range.count) { r in
                for i in r { buf[i] = utterance(range.lowerBound + i, seed: seed, speakers: speakers, spec: spec) }
            }
        }
        return out.map { $0! }
    }
}
