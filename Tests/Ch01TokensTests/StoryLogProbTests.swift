import Datasets
import Engine
import Testing

/// The corpus records each story's log-probability while generating it. These tests recompute it
/// from the story's choices, through Datasets' public `ReplayChooser`.
@Suite struct StoryLogProbTests {
    /// For corpus documents: record the choices of the same random path, check it writes the same
    /// text, and check the recorded log-probability equals the sum of log(w_chosen / Σw) over the
    /// choices; then replay only the choice indices (no randomness) and get the same story back.
    @Test func recordedLogProbEqualsSumOverChoices() {
        let corpus = StoryCorpus(seed: 4)
        for i in 0..<25 {
            let story = corpus.document(i)
            var chooser = ReplayChooser(prefix: [])
            chooser.sampler = SamplingChooser(rng: corpus.documentRNG(i))
            let (traced, trail) = corpus.grammar.write(using: chooser)
            #expect(traced.text == story.text, "document \(i): seed derivation differs from StoryCorpus")
            let sum = trail.trail.reduce(0.0) { $0 + $1.logProb }
            #expect(trail.trail.count == story.choices)
            // Same terms added in the same order: equal up to rounding of a few hundred additions.
            #expect(abs(sum - story.logProb) <= 1e-9 * abs(story.logProb))
            #expect(story.logProb < 0)

            let replay = corpus.grammar.write(using: ReplayChooser(prefix: trail.trail.map(\.choice)))
            #expect(replay.story.text == story.text)
            #expect(abs(replay.story.logProb - story.logProb) <= 1e-9 * abs(story.logProb))
        }
    }

    /// The sum recomputed from the choice weights alone (not from the recorder) for paths drawn
    /// from arbitrary seeds, with no reliance on the corpus's seed derivation.
    @Test func logProbOfAnyPathIsTheSumOfItsChoices() {
        let grammar = StoryGrammar()
        for s in 0..<10 {
            var chooser = ReplayChooser(prefix: [])
            chooser.sampler = SamplingChooser(rng: RNG(seed: UInt64(100 + s)))
            let (story, trail) = grammar.write(using: chooser)
            let sum = trail.trail.reduce(0.0) { $0 + $1.logProb }
            #expect(abs(sum - story.logProb) <= 1e-9 * abs(story.logProb))
            #expect(trail.trail.allSatisfy { $0.logProb <= 0 && $0.options >= 2 })
        }
    }
}
