import Datasets
import Engine
import Testing
@testable import Ch01Tokens

@Suite struct SkipGramTests {
    static let config = SkipGramConfig.quick
    static let words = WordCorpus(texts: StoryCorpus(seed: 0).documents(0..<config.documents).map(\.text))

    /// After the quick training run, a category word's nearest neighbour (searched over the whole
    /// vocabulary) shares its category for at least 80% of all category words. Random vectors give
    /// about the share of the largest categories (~20%), so this fails for an untrained or broken model.
    @Test func nearestNeighboursShareTheirCategory() throws {
        let result = try trainSkipGram(Self.words, config: Self.config, seed: 0)
        let cats = categoryWords(Self.words)
        let agreement = neighbourAgreement(result.vectors, categories: cats)
        #expect(agreement.total == cats.reduce(0) { $0 + $1.ids.count })
        #expect(agreement.total > 400)  // all category words, not a chosen few
        #expect(agreement.rate >= 0.8, "nearest-neighbour category agreement \(agreement.rate)")
        // The loss falls well below the untrained model's (1 + k) log 2.
        let late = result.losses.suffix(100).reduce(0, +) / 100
        #expect(late < 0.7 * result.chanceLoss)
    }

    /// The untrained (random) vectors fail the same test, so the threshold is meaningful.
    @Test func randomVectorsDoNotShareCategories() {
        var rng = RNG(seed: 3)
        let vectors = (0..<Self.words.vocabSize).map { _ in (0..<32).map { _ in Double(rng.normal()) } }
        let rate = neighbourAgreement(vectors, categories: categoryWords(Self.words)).rate
        #expect(rate < 0.4)
    }

    /// The same seed gives bit-identical embeddings; another seed gives different ones.
    @Test func trainingIsDeterministic() throws {
        var c = Self.config
        c.steps = 40
        let a = try trainSkipGram(Self.words, config: c, seed: 5)
        let b = try trainSkipGram(Self.words, config: c, seed: 5)
        let other = try trainSkipGram(Self.words, config: c, seed: 6)
        #expect(a.center.weight.values == b.center.weight.values)
        #expect(a.context.weight.values == b.context.weight.values)
        #expect(a.losses == b.losses)
        #expect(a.center.weight.values != other.center.weight.values)
    }

    /// Each word of the categories is in exactly one category (the agreement measure relies on it).
    @Test func categoriesAreDisjoint() {
        var seen: [Int: String] = [:]
        for cat in categoryWords(Self.words) {
            for id in cat.ids {
                #expect(seen[id] == nil, "\(Self.words.words[id]) is in \(seen[id] ?? "") and \(cat.name)")
                seen[id] = cat.name
            }
        }
    }

    @Test func wordsAreLowerCaseLetterRuns() {
        #expect(wordsOf("Lily's red fox, \"Hi!\" said Tom.") == ["lily", "s", "red", "fox", "hi", "said", "tom"])
    }

    /// The noise sampler follows count^0.75: with counts 1 and 16 the odds are 1 : 8.
    @Test func noiseSamplerFollowsThreeQuarterPower() {
        let s = NoiseSampler(counts: [16, 1])
        var rng = RNG(seed: 9)
        var ones = 0
        let n = 90_000
        for _ in 0..<n where s.sample(&rng) == 1 { ones += 1 }
        // Expected share 1/9; the standard error of the share is sqrt(p(1-p)/n) ≈ 0.001, allow 5 of them.
        #expect(abs(Double(ones) / Double(n) - 1.0 / 9.0) < 0.005)
    }
}
