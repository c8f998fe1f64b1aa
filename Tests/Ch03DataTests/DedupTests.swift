import Foundation
import Testing
import Engine
import Datasets
@testable import Ch03Data

@Test func exactDedupKeepsFirstOfEachTextAndIsIdempotent() {
    let texts = ["a b", "c", "a b", "d", "c", "a b"]
    let kept = exactDedup(texts)
    #expect(kept == [0, 1, 3])
    let once = kept.map { texts[$0] }
    #expect(exactDedup(once) == Array(once.indices))
}

@Test func jaccardOnHandMadeSets() {
    #expect(MinHasher.jaccard([1, 2, 3, 4], [3, 4, 5, 6]) == 2.0 / 6.0)
    #expect(MinHasher.jaccard([1, 2], [1, 2]) == 1)
    #expect(MinHasher.jaccard([1], [2]) == 0)
    // "a b c d" has the 3-grams "a b c" and "b c d".
    #expect(MinHasher.shingles("a b c d").count == 2)
    #expect(MinHasher.jaccard(MinHasher.shingles("a b c d"), MinHasher.shingles("a b c e")) == 1.0 / 3.0)
}

@Test func minHashEstimateIsWithinItsBinomialBound() {
    let hasher = MinHasher(bands: 32, rows: 4, seed: 9)
    let pairs = minHashPairs(hasher, count: 400, seed: 9)
    let mae = pairs.reduce(0.0) { $0 + abs($1.estimate - $1.exact) } / Double(pairs.count)
    // Each estimate is a binomial share with sd √(J(1−J)/K) ≤ 0.5/√128 = 0.044, so its expected
    // absolute error is at most 0.8 × 0.044 = 0.035. A broken hash (correlated minima) or a wrong
    // estimate (e.g. overlap of signatures as sets) would be far off.
    #expect(mae <= 0.035)
    // Identical documents agree everywhere; disjoint ones (almost) nowhere.
    let s = MinHasher.shingles("the cat sat on the mat with a hat")
    #expect(MinHasher.estimate(hasher.signature(s), hasher.signature(s)) == 1)
    let t = MinHasher.shingles("one two three four five six seven eight")
    #expect(MinHasher.estimate(hasher.signature(s), hasher.signature(t)) < 0.05)
}

@Test func bandingCurveMatchesItsFormula() {
    // Closed form at a few points.
    #expect(abs(MinHasher.candidateProbability(0.5, bands: 2, rows: 1) - 0.75) < 1e-12)
    #expect(abs(MinHasher.candidateProbability(0.5, bands: 1, rows: 2) - 0.25) < 1e-12)
    let (b, r) = MinHasher.chooseBands(permutations: 128, threshold: 0.5)
    #expect(b * r <= 128)
    // The chosen curve rises around the threshold: its midpoint (1/b)^(1/r) is near 0.5.
    #expect(abs(pow(1 / Double(b), 1 / Double(r)) - 0.5) < 0.1)
    let hasher = MinHasher(bands: b, rows: r, seed: 2)
    let bins = measuredSCurve(minHashPairs(hasher, count: 1500, seed: 2), width: 0.1)
    for bin in bins where bin.pairs >= 40 {
        // Binomial: 4 sd of a share over ≥ 40 pairs is ≤ 4 × 0.5/√40 ≈ 0.32; the bin's width
        // adds the curve's change across it, so allow the sum against the centre value.
        let lo = hasher.candidateProbability(max(0, bin.j - 0.05)), hi = hasher.candidateProbability(min(1, bin.j + 0.05))
        #expect(bin.rate >= lo - 0.32 && bin.rate <= hi + 0.32)
    }
}

@Test func minHashDedupRemovesNearCopiesAndKeepsDistinctStories() {
    let corpus = StoryCorpus(seed: 31)
    let names = StoryVocabulary.standard.girlNames
    var rng = RNG(seed: 31)
    let stories = corpus.documents(0..<100).map(\.text)
    let near = stories.prefix(50).map { CrawlPool.nearCopy($0, names: names, &rng) }
    let hasher = MinHasher(bands: 25, rows: 5, seed: 31)
    let (kept, removed) = hasher.dedup(stories + near, threshold: 0.5)
    #expect(Array(kept.prefix(100)) == Array(0..<100))  // no distinct story is lost
    #expect(removed.count >= 48)  // a one- or two-edit copy has J ≈ 0.7–0.95: nearly all caught
    for r in removed { #expect(r.duplicateOf == r.index - 100) }
}
