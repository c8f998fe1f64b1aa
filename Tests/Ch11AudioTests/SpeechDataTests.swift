import Audio
import Ch11Audio
import Datasets
import Engine
import Foundation
import Testing

/// The synthetic speech: reproducible, the right shape, the requested noise level, and vowels
/// with their formants where the table puts them.
struct SpeechDataTests {
    let voices = Speaker.pool(5, seed: 1)

    @Test func utterancesAreReproducibleAndWellFormed() {
        let a = SpeechCorpus.utterances(0..<20, seed: 7, speakers: voices)
        let b = SpeechCorpus.utterance(13, seed: 7, speakers: voices)
        #expect(a[13].samples == b.samples && a[13].words == b.words)
        for u in a {
            #expect(u.samples.count == 25_600)
            #expect((1...5).contains(u.words.count) && u.wordSpans.count == u.words.count)
            #expect((15...25).contains(u.snrDB))
            for (s, next) in zip(u.wordSpans, u.wordSpans.dropFirst()) { #expect(s.upperBound < next.lowerBound) }
            #expect(u.text.split(separator: " ").allSatisfy { SpeechVocabulary.contains(String($0)) })
        }
        #expect(Set(a.map(\.words.count)).count >= 4, "word counts vary")
    }

    /// Noise power is measured in the pauses, speech power over the words minus that noise;
    /// their ratio is the requested SNR. With ~10⁴ noise samples the power estimate is good to
    /// ~2 %, so ±0.5 dB is a loose bound that a wrong scale (amplitude vs power: 2×) would miss.
    @Test func noiseIsAtTheRequestedLevel() {
        for snr in [5.0, 20.0] {
            let u = SpeechCorpus.utterance(3, seed: 11, speakers: voices, spec: UtteranceSpec().at(snrDB: snr))
            var inWord = [Bool](repeating: false, count: u.samples.count)
            for s in u.wordSpans { for i in s { inWord[i] = true } }
            let noise = u.samples.indices.filter { !inWord[$0] }.map { Double(u.samples[$0]) }
            let speech = u.samples.indices.filter { inWord[$0] }.map { Double(u.samples[$0]) }
            let pn = noise.map { $0 * $0 }.reduce(0, +) / Double(noise.count)
            let ps = speech.map { $0 * $0 }.reduce(0, +) / Double(speech.count) - pn
            #expect(abs(10 * log10(ps / pn) - snr) < 0.5, "snr \(snr)")
        }
    }

    /// A vowel "a" for a 100 Hz voice with a reference-length tract: its strongest harmonic below
    /// 1 kHz is the one nearest F1 = 730 Hz (700 or 800), and "i" (F1 = 270) peaks at 200–300.
    @Test func vowelsPeakAtTheirFirstFormant() throws {
        let synth = Synthesizer(sampleRate: 8000)
        let speaker = Speaker(pitch: 100, tract: 1, tempo: 0.25, loudness: 0.1)   // long vowels: fine bins
        for (letter, range) in [("a", 650.0...820.0), ("i", 190.0...330.0)] {
            var rng = RNG(seed: 2)
            let wave = try synth.render(word: letter, speaker: speaker, rng: &rng)
            let n = 2048
            let mid = wave.count / 2 - n / 2
            let w = hannWindow(n)
            let p = FFTPlan(size: n).powerSpectrum((0..<n).map { wave[mid + $0] * w[$0] })
            let hz = 8000.0 / Double(n)
            let below1k = Int(1000 / hz)
            let peak = (1..<below1k).max { p[$0] < p[$1] }!
            #expect(range.contains(Double(peak) * hz), "\(letter): peak at \(Double(peak) * hz) Hz")
        }
    }

    @Test func unknownLettersThrow() {
        var rng = RNG(seed: 1)
        #expect(throws: SpeechError.unknownLetter(word: "kax", letter: "x")) {
            _ = try Synthesizer().render(word: "kax", speaker: voices[0], rng: &rng)
        }
    }

    @Test func errorRatesCountEditsOverReferenceUnits() {
        #expect(ErrorRates.editDistance(Array("kitten"), Array("sitting")) == 3)
        #expect(ErrorRates.editDistance([Int](), [1, 2]) == 2)
        #expect(ErrorRates.wordErrorRate(references: ["ka mi sof"], hypotheses: ["ka sof"]) == 1.0 / 3)
        #expect(ErrorRates.wordErrorRate(references: ["ka", "mi sun"], hypotheses: ["ka", "mi sun"]) == 0)
        // Insertions can push the rate above 1.
        #expect(ErrorRates.wordErrorRate(references: ["ka"], hypotheses: ["mi mi mi"]) == 3)
        #expect(ErrorRates.characterErrorRate(references: ["ka mi"], hypotheses: ["ka me"]) == 0.2)
    }

    @Test func transcriptRowsShiftByOneAndPad() {
        let alphabet = TranscriptAlphabet()
        let rows = transcriptRows(["ka", "mi sun"], length: 8)
        let ka = alphabet.encode("ka")!
        #expect(rows.inputs[0] == [alphabet.start] + ka + [Int](repeating: alphabet.end, count: 5))
        #expect(rows.targets[0] == ka + [alphabet.end] + [Int](repeating: -1, count: 5))
        #expect(alphabet.decode(rows.targets[1]) == "mi sun")
        #expect(alphabet.encode("kax") == nil)
    }

    @Test func validityCountsOnlyLanguageWords() {
        let v = WordValidity(["ka mi", "kax sun", ""])
        #expect(v.words == 4 && v.valid == 3 && v.share == 0.75)
        #expect(WordValidity([""]).share == 0)
        let gated = WordValidity([("ka mi sun", [0.95, 0.5, 0.99]), ("kax", [1])], threshold: 0.9)
        #expect(gated.words == 4 && gated.valid == 3 && gated.confident == 2 && gated.confidentShare == 0.5)
    }
}
