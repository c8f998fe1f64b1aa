import Ch02Attention
import Datasets
import Engine
import Models
import Testing

/// Step 6–7: the word-share measure, the bigram sampler and the name-recall measure.
@Suite struct ReadabilityTests {
    @Test func wordsAreLetterRunsInLowerCaseAndACutEndIsDropped() {
        #expect(letterWords("Once upon a time, Mia's cup.") == ["once", "upon", "a", "time", "mia", "s", "cup"])
        #expect(letterWords("the cat sa", dropCutEnd: true) == ["the", "cat"])
        #expect(letterWords("the cat sat.", dropCutEnd: true) == ["the", "cat", "sat"])
    }

    @Test func wordShareCountsKnownWordsAndListsUnknownOnesOnce() {
        let vocab = corpusVocabulary("The cat sat on the mat. A dog ran.")
        #expect(vocab == ["the", "cat", "sat", "on", "mat", "a", "dog", "ran"])
        // 8 counted words ("ma" is cut at the end of the second sample and left out), 2 of them "zat".
        let share = vocabularyWordShare(["the cat zat on zat ", "A dog ran ma"], vocabulary: vocab)
        #expect(share.words == 8 && share.known == 6)
        #expect(share.unknown == ["zat"])
        #expect(abs(share.share - 0.75) < 1e-12)
        #expect(vocabularyWordShare([], vocabulary: vocab).share == 0)
    }

    @Test func bigramSamplerFollowsTheCounts() {
        var counts = BigramBaseline(alpha: 1)
        counts.fit(bytes: Array(String(repeating: "ab", count: 2000).utf8))
        var rng = RNG(seed: 3)
        // Greedy: after "a" the most likely byte is "b" and after "b" it is "a".
        let ids = bigramSample(counts, prompt: [97], count: 5, rule: .greedy, rng: &rng)
        #expect(printable(ids) == "ababab")
        // After "a", add-one smoothing gives "b" 2001/2256 and each other byte 1/2256. At τ = 0.3
        // the odds are raised to the power 1/0.3: 2001^3.3 ≈ 1e11 against 254 other bytes, so a
        // sampler that used the counts never leaves the alternation, while one that ignored the
        // temperature would leave about once in 9 steps.
        let sampled = bigramSample(counts, prompt: [97], count: 200, rule: .sample(temperature: 0.3, topK: nil), rng: &rng)
        #expect(sampled == (0...200).map { $0 % 2 == 0 ? 97 : 98 })
        // At τ = 1 it does leave now and then (11 % of the mass is on other bytes).
        let loose = bigramSample(counts, prompt: [97], count: 200, rule: .sample(temperature: 1, topK: nil), rng: &rng)
        #expect(loose.contains { $0 != 97 && $0 != 98 })
    }

    @Test func nameMentionsAreFoundAsWholeWords() {
        let bytes = byteIDs("Tom met Tomas. Tom ran.")
        #expect(wordOccurrences(of: "Tom", in: bytes) == [0, 15])
        #expect(wordOccurrences(of: "Mia", in: bytes) == [])
    }

    @Test func nameRecallSeparatesFirstMentionsFromRepeats() {
        // "Once Tom met Mia. Tom ran." : Tom at 5 (first), Mia at 13 (first), Tom at 18 (repeat).
        let story = (text: "Once Tom met Mia. Tom ran.", names: ["Tom", "Mia"])
        // A fake model that always puts 0.6 on "T" and 0.4 on "M".
        let predict: ([Int]) -> [[Float]] = { window in
            window.map { _ in var p = [Float](repeating: 0, count: 256); p[84] = 0.6; p[77] = 0.4; return p }
        }
        let r = measureNameRecall(stories: [story], context: 64, predict: predict)
        #expect(r.firstMentions == 2 && r.repeats == 1)
        #expect(r.firstCorrect == 1 && r.repeatCorrect == 1)
        #expect(abs(r.firstMeanProbability - 0.5) < 1e-6 && abs(r.repeatMeanProbability - 0.6) < 1e-6)
        // All the probability is on capitals, so the capital share equals the probability here.
        #expect(abs(r.firstMeanCapitalShare - 0.5) < 1e-6 && abs(r.repeatMeanCapitalShare - 0.6) < 1e-6)
        // With a context of 8 the window for the second "Tom" (offset 18) starts at 12, after the
        // first "Tom" (offset 5): the repeat is left out, the two first mentions stay.
        let short = measureNameRecall(stories: [story], context: 8, predict: predict)
        #expect(short.firstMentions == 2 && short.repeats == 0)
    }

    @Test func nameRecallReadsTheRowBeforeTheName() {
        // A fake model that predicts, at every position, the byte two positions back: it puts
        // its probability on the right letter only where the text repeats with period 2.
        let story = (text: "xAxA Ab", names: ["Ab"])
        let predict: ([Int]) -> [[Float]] = { window in
            window.indices.map { i in
                var p = [Float](repeating: 0, count: 256)
                p[i >= 1 ? window[i - 1] : 0] = 1        // next byte = the byte before the current one
                return p
            }
        }
        // "Ab" starts at 5; the row used is position 4 (" "), whose previous byte is "A" (offset 3).
        let r = measureNameRecall(stories: [story], context: 16, predict: predict)
        #expect(r.firstMentions == 1 && r.firstCorrect == 1 && r.firstMeanProbability == 1)
        // Half the mass on a lower-case letter: the probability halves, the capital share does not.
        let mixed: ([Int]) -> [[Float]] = { window in
            predict(window).map { row in row.map { $0 / 2 } }.map { row in var r = row; r[120] += 0.5; return r }
        }
        let m = measureNameRecall(stories: [story], context: 16, predict: mixed)
        #expect(abs(m.firstMeanProbability - 0.5) < 1e-6 && abs(m.firstMeanCapitalShare - 1) < 1e-6)
    }
}
